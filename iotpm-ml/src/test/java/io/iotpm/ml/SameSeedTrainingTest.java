package io.iotpm.ml;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two trainings with the same data, settings and seed in one JVM give the same model, bit for bit.
 *
 * <p>Its own class because it runs in its own surefire execution, in a fresh JVM (see
 * {@code iotpm-ml/pom.xml}): inside the module's shared test JVM, about one module run in 15 saw the
 * second training end with another loss (epoch-6 0.5012 vs 0.5023). Sixty back-to-back same-seed
 * trainings in one JVM, with the alignment of the input buffers varied between them, were all
 * identical, so the training path alone does not show it; what other tests leave behind in the
 * engine (they run forward passes on pool threads and train other configurations) was the suspect.
 * The fresh JVM did not remove it: in a CI run of 2026-12-06 this test, alone in its JVM, saw the
 * <em>first</em> training end epoch 6 at 0.5118 and the second at 0.5012 (its usual value), and passed
 * on the rerun. In 2026-12-06's sixth session it was tied to the garbage collector: these two
 * trainings, repeated in fresh JVMs, differed in 1 of 150 JVMs with the default heap, 3 to 8 of 40 with
 * {@code -Xmx40m} and 0 of 40 with {@code -XX:+UseEpsilonGC} (no collection), while a
 * {@code System.gc()} at the training loop's quiet points never changed a result; see the iotpm-ml
 * README's "Determinism". The separate execution keeps one rerun for this test only.
 */
class SameSeedTrainingTest {

    @Test
    void sameSeed_givesSameModelAndPredictions() {
        Synthetic data = Synthetic.fleet(8, 400, 1);
        try (LstmPredictor model = LstmPredictorTest.small().build();
             LstmPredictor again = LstmPredictorTest.small().build()) {
            TrainingReport report = model.train(data.set());
            TrainingReport r = again.train(data.set());
            assertThat(r.epochs().get(5).trainLoss()).isEqualTo(report.epochs().get(5).trainLoss());
            assertThat(again.version()).isEqualTo(model.version());
            assertThat(again.predict("DEV_002", data.lastReadings("DEV_002", 12)))
                    .isEqualTo(model.predict("DEV_002", data.lastReadings("DEV_002", 12)));
        }
    }
}
