package io.iotpm.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.ml.LstmPredictor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

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
                JsonNode job;
                long end = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                do {
                    Thread.sleep(200);
                    job = c.get("/api/model/jobs/" + id, admin).json();
                } while (!job.get("finished_at").isTextual() && System.nanoTime() < end);
                assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
                assertThat(job.get("history")).hasSize(2);
                assertThat(job.get("history").get(0).get("train_loss").asDouble()).isPositive();
                assertThat(job.get("metrics").size()).isPositive();
                assertThat(job.get("model_version").asText()).isNotBlank();

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
