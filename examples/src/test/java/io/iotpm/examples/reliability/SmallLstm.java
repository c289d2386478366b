package io.iotpm.examples.reliability;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.Fleet;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.ml.TrainingSet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A real LSTM, trained in seconds on a small simulated fleet: the predictor of the reliability tests. */
public final class SmallLstm {

    private SmallLstm() {
    }

    /**
     * @param window readings per prediction window
     * @param seed   seed of the simulation and the training
     * @return a trained predictor (the caller closes it)
     */
    public static LstmPredictor train(int window, long seed) {
        Fleet fleet = Fleet.builder().devices(4).idPrefix("TRAIN_").seed(seed).failureProbability(1.0)
                .start(Instant.parse("2026-01-01T00:00:00Z")).build();
        List<SensorReading> history = fleet.history(Duration.ofHours(24)).toList();
        LstmPredictor lstm = LstmPredictor.builder(SensorSchema.industrialMotor()).sequenceLength(window)
                .horizon(60).stride(10).layers(8).epochs(1).seed(seed).build();
        lstm.train(TrainingSet.of(history, fleet.events()));
        return lstm;
    }
}
