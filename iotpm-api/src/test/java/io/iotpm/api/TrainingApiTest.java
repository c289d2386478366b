package io.iotpm.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.iotpm.api.training.ModelTrainer;
import io.iotpm.core.SensorReading;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TrainingApiTest {

    static StorageBackend store;
    static IotpmServer server;
    static ApiClient client;
    static String viewer;
    static String admin;
    static volatile CountDownLatch gate = new CountDownLatch(0);

    /**
     * Fits the window length of a {@link TestPredictor} to the data (the shortest device history, capped
     * at 25) after waiting at the test's gate, reporting one epoch per device read.
     */
    static final ModelTrainer TRAINER = (request, progress) -> {
        progress.stage("waiting");
        if (!gate.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("gate not opened");
        }
        int shortest = Integer.MAX_VALUE;
        int i = 0;
        for (String id : request.deviceIds()) {
            if (progress.cancelled()) {
                throw new InterruptedException("cancelled");
            }
            List<SensorReading> data = request.storage().range(id, request.from(), request.to());
            shortest = Math.min(shortest, data.size());
            progress.epoch(++i, request.deviceIds().size(), 1.0 / i, Double.NaN);
        }
        if (shortest < 2) {
            throw new IllegalArgumentException("not enough data: " + shortest + " readings");
        }
        progress.metrics(Map.of("window", (double) Math.min(25, shortest)));
        return new TestPredictor(Math.min(25, shortest));
    };

    @BeforeAll
    static void start() {
        store = StorageBackends.open("memory:");
        store.appendAll(PredictApiTest.readings("HOT_1", 30, 95));
        store.appendAll(PredictApiTest.readings("COOL_1", 40, 65));
        server = IotpmServer.builder().port(0).storage(store).predictor(new TestPredictor(10)).trainer(TRAINER)
                .users(TestUsers.store()).jwtSecret(TestUsers.SECRET).build().start();
        client = new ApiClient(server);
        viewer = client.login("vera", TestUsers.VIEWER_PW);
        admin = client.login("alice", TestUsers.ADMIN_PW);
    }

    @AfterAll
    static void stop() {
        gate.countDown();
        server.close();
        store.close();
    }

    private static JsonNode awaitStatus(long id, String... statuses) throws InterruptedException {
        JsonNode job = awaitJob(id, j -> List.of(statuses).contains(j.get("status").asText()));
        if (!job.get("status").asText().equals("running")) {
            // A final status comes with its finish time, so the next job may start (or a cancel get 409) at once.
            assertThat(job.get("finished_at").isTextual()).as(job.toString()).isTrue();
        }
        return job;
    }

    /** Polls the job until it satisfies the condition; the ceiling only matters on a very busy machine. */
    private static JsonNode awaitJob(long id, java.util.function.Predicate<JsonNode> condition) {
        return await("job " + id).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> client.get("/api/model/jobs/" + id, viewer).json(), condition);
    }

    @Test
    void training_runsAsAJob_reportsProgress_andTheTrainedModelServesPredictions() throws Exception {
        gate = new CountDownLatch(1);
        assertThat(client.post("/api/model/train", viewer, null).status()).isEqualTo(403);
        ApiClient.Response started = client.post("/api/model/train", admin,
                "{\"epochs\":5,\"device_ids\":[\"HOT_1\",\"COOL_1\"]}");
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        long id = started.json().get("id").asLong();
        assertThat(started.header("Location")).isEqualTo("/api/model/jobs/" + id);
        // The job turns "running" just before the trainer reports its first stage: wait for that report.
        JsonNode running = awaitJob(id, j -> j.path("stage").isTextual());
        assertThat(running.get("status").asText()).isEqualTo("running");
        assertThat(running.get("stage").asText()).isEqualTo("waiting");
        assertThat(client.post("/api/model/train", admin, null).status()).isEqualTo(409);

        gate.countDown();
        JsonNode done = awaitStatus(id, "succeeded", "failed");
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.get("history")).hasSize(2);
        assertThat(done.get("epochs").asInt()).isEqualTo(2);
        assertThat(done.get("metrics").get("window").asDouble()).isEqualTo(25.0);
        assertThat(done.get("requested_by").asText()).isEqualTo("alice");
        assertThat(client.get("/api/model", viewer).json().get("sequence_length").asInt()).isEqualTo(25);
        assertThat(client.post("/api/predict/HOT_1", viewer, null).status()).isEqualTo(200);
        assertThat(client.get("/api/model/jobs", viewer).json().get("count").asInt()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void failedTraining_reportsTheErrorAndKeepsTheOldModel() throws Exception {
        gate = new CountDownLatch(0);
        int before = client.get("/api/model", viewer).json().get("sequence_length").asInt();
        store.appendAll(PredictApiTest.readings("ONE_1", 1, 65));
        ApiClient.Response started = client.post("/api/model/train", admin, "{\"device_ids\":[\"ONE_1\"]}");
        JsonNode done = awaitStatus(started.json().get("id").asLong(), "succeeded", "failed");
        assertThat(done.get("status").asText()).isEqualTo("failed");
        assertThat(done.get("error").asText()).contains("not enough data");
        assertThat(client.get("/api/model", viewer).json().get("sequence_length").asInt()).isEqualTo(before);
    }

    @Test
    void cancel_stopsARunningJob() throws Exception {
        gate = new CountDownLatch(1);
        long id = client.post("/api/model/train", admin, null).json().get("id").asLong();
        awaitStatus(id, "running");
        assertThat(client.post("/api/model/jobs/" + id + "/cancel", viewer, null).status()).isEqualTo(403);
        assertThat(client.post("/api/model/jobs/" + id + "/cancel", admin, null).status()).isEqualTo(202);
        gate.countDown();
        assertThat(awaitStatus(id, "cancelled", "succeeded", "failed").get("status").asText()).isEqualTo("cancelled");
        assertThat(client.post("/api/model/jobs/" + id + "/cancel", admin, null).status()).isEqualTo(409);
    }

    @Test
    void trainRequest_isValidated() {
        gate = new CountDownLatch(0);
        assertThat(client.post("/api/model/train", admin, "{\"epochs\":0}").json().get("field").asText()).isEqualTo("epochs");
        assertThat(client.post("/api/model/train", admin, "{\"epochs\":\"many\"}").json().get("field").asText())
                .isEqualTo("epochs");
        assertThat(client.post("/api/model/train", admin, "{\"device_ids\":[\"a b\"]}").json().get("field").asText())
                .isEqualTo("device_ids[0]");
        assertThat(client.post("/api/model/train", admin, "{\"from\":\"soon\"}").json().get("field").asText())
                .isEqualTo("from");
        assertThat(client.get("/api/model/jobs/x", viewer).json().get("field").asText()).isEqualTo("id");
        assertThat(client.get("/api/model/jobs/12345", viewer).status()).isEqualTo(404);
    }

    @Test
    void withoutATrainer_trainingIsNotOffered() {
        try (IotpmServer bare = IotpmServer.builder().port(0).storage(store).users(TestUsers.store())
                .jwtSecret(TestUsers.SECRET).build().start()) {
            ApiClient c = new ApiClient(bare);
            ApiClient.Response r = c.post("/api/model/train", c.login("alice", TestUsers.ADMIN_PW), null);
            assertThat(r.status()).isEqualTo(404);
            assertThat(c.get(IotpmServer.OPENAPI_PATH, null).json().get("paths").has("/api/model/train")).isFalse();
        }
    }

}
