package io.iotpm.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.iotpm.api.training.LstmTrainer;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.ml.LstmPredictor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The real DJL/PyTorch LSTM trained through the API on simulated run-to-failure data, then serving predictions. */
class LstmTrainerTest {

    @Test
    void trainingJob_trainsTheLstmOnStoredData_andItServesPredictions() throws Exception {
        System.setProperty("ai.djl.offline", "true");
        Fleet fleet = Fleet.builder().devices(6).idPrefix("PUMP_").seed(7).failureProbability(1.0)
                .leadTime(Duration.ofMinutes(30), Duration.ofHours(2)).repairTime(Duration.ofMinutes(30))
                .start(Instant.parse("2026-01-01T00:00:00Z")).build();
        SensorSchema schema = SensorSchema.industrialMotor();
        try (StorageBackend store = StorageBackends.open("memory:")) {
            store.appendAll(fleet.history(Duration.ofDays(2)).toList());
            fleet.events().forEach(store::appendEvent);
            LstmTrainer trainer = LstmTrainer.of(() -> LstmPredictor.builder(schema).sequenceLength(20).horizon(30)
                    .stride(5).layers(8).dropout(0).epochs(10).batchSize(256).earlyStoppingPatience(0).seed(1));
            try (IotpmServer server = IotpmServer.builder().port(0).storage(store).trainer(trainer)
                    .users(TestUsers.store()).jwtSecret(TestUsers.SECRET).build().start()) {
                ApiClient c = new ApiClient(server);
                String admin = c.login("alice", TestUsers.ADMIN_PW);
                assertThat(c.post("/api/predict/PUMP_001", admin, null).status()).isEqualTo(503);

                ApiClient.Response started = c.post("/api/model/train", admin, "{\"epochs\":2}");
                assertThat(started.status()).as(started.body()).isEqualTo(202);
                long id = started.json().get("id").asLong();
                // ~10 s on an idle machine.
                JsonNode job = await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                        .until(() -> c.get("/api/model/jobs/" + id, admin).json(), j -> j.get("finished_at").isTextual());
                assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
                assertThat(job.get("history")).hasSize(2);
                assertThat(job.get("history").get(0).get("train_loss").asDouble()).isPositive();
                assertThat(job.get("metrics").size()).isPositive();
                assertThat(job.get("model_version").asText()).isNotBlank();
                // Evaluated on the devices training held out: counts, the matrix they make, and the ROC curve.
                JsonNode ev = job.get("evaluation");
                assertThat(ev.isObject()).as(job.toString()).isTrue();
                long tp = ev.get("true_positives").asLong(), fp = ev.get("false_positives").asLong();
                long tn = ev.get("true_negatives").asLong(), fn = ev.get("false_negatives").asLong();
                assertThat(tp + fp + tn + fn).isPositive();
                assertThat(tp + fn).as("held-out devices fail").isPositive();
                assertThat(ev.get("confusion_matrix").toString()).isEqualTo("[[" + tn + "," + fp + "],[" + fn + "," + tp + "]]");
                JsonNode roc = ev.get("roc_curve");
                assertThat(roc.size()).isBetween(2, LstmTrainer.ROC_POINTS);
                assertThat(roc.get(0).get("fpr").asDouble()).isZero();
                assertThat(roc.get(0).get("tpr").asDouble()).isZero();
                assertThat(roc.get(roc.size() - 1).get("fpr").asDouble()).isEqualTo(1.0);
                assertThat(roc.get(roc.size() - 1).get("tpr").asDouble()).isEqualTo(1.0);
                for (int i = 1; i < roc.size(); i++) {
                    assertThat(roc.get(i).get("fpr").asDouble()).isGreaterThanOrEqualTo(roc.get(i - 1).get("fpr").asDouble());
                    assertThat(roc.get(i).get("tpr").asDouble()).isGreaterThanOrEqualTo(roc.get(i - 1).get("tpr").asDouble());
                }
                assertThat(job.get("metrics").get("roc_auc").asDouble()).isBetween(0.0, 1.0);

                JsonNode model = c.get("/api/model", admin).json();
                assertThat(model.get("type").asText()).isEqualTo("LstmPredictor");
                assertThat(model.get("sequence_length").asInt()).isEqualTo(20);
                JsonNode p = c.post("/api/predict/PUMP_001", admin, null).json();
                assertThat(p.get("maintenance_probability").asDouble()).isBetween(0.0, 1.0);
                assertThat(p.get("model_version").asText()).isEqualTo(job.get("model_version").asText());
                assertThat(c.post("/api/predict/batch", admin, null).json().get("predictions")).hasSize(6);
            }
        }
    }
}
