package io.iotpm.ml.tensorflow;

import io.iotpm.core.Predictor;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.Fleet;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.ml.TrainingSet;
import io.iotpm.test.predictor.PredictorContract;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** A small LSTM exported as a SavedModel and served by DJL's TensorFlow engine passes the predictor contract. */
class SavedModelPredictorContractTest extends PredictorContract {

    @TempDir
    static Path dir;

    @Override
    protected Predictor createPredictor() {
        TfTestSupport.offline();
        TfTestSupport.assumeExportableLocale();
        Fleet fleet = Fleet.builder().devices(3).idPrefix("M_").seed(3).failureProbability(1.0)
                .start(Instant.parse("2026-01-01T00:00:00Z")).build();
        try (LstmPredictor lstm = LstmPredictor.builder(SensorSchema.industrialMotor()).sequenceLength(12).horizon(30)
                .stride(30).layers(8).epochs(1).batchSize(128).seed(5).build()) {
            lstm.train(TrainingSet.of(fleet.history(Duration.ofHours(24)).toList(), fleet.events()));
            SavedModelExporter.export(lstm, dir.resolve("model"));
            return SavedModelPredictor.load(dir.resolve("model"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
