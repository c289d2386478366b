package io.iotpm.ml;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.Fleet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Trains on 30 days of simulated motors and tests on devices the model never saw. About a minute. */
@Tag("slow")
class SimulatedFleetTest {

    @Test
    void modelTrainedOnSimulatedFleet_reachesRocAuc09OnUnseenDevices() {
        Fleet fleet = Fleet.builder().devices(10).seed(42).failureProbability(0.3).interval(Duration.ofMinutes(10))
                .start(Instant.parse("2025-05-01T00:00:00Z")).build();
        List<SensorReading> readings = fleet.history(Duration.ofDays(30)).toList();
        TrainingSet all = TrainingSet.of(readings, fleet.events());
        List<String> ids = all.deviceIds();
        TrainingSet train = all.devices(ids.subList(0, 8));
        TrainingSet unseen = all.devices(ids.subList(8, 10));
        assertThat(all.failureCount()).isGreaterThan(20);
        try (LstmPredictor lstm = LstmPredictor.builder(SensorSchema.industrialMotor())
                .sequenceLength(36).horizon(36).stride(3).layers(32, 16).dropout(0.2).epochs(10).batchSize(128)
                .earlyStoppingPatience(4).rollingFeatures(6).slopeFeatures(6).seed(42).build()) {
            TrainingReport report = lstm.train(train);
            assertThat(report.trainDevices()).doesNotContainAnyElementsOf(unseen.deviceIds());
            ClassificationMetrics m = lstm.evaluateClassification(unseen);
            assertThat(m.rocAuc()).isGreaterThanOrEqualTo(0.9);
        }
    }
}
