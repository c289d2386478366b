package io.iotpm.api;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.json.ReadingJson;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.stream.Topic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class StreamApiTest {

    static final ReadingJson JSON = ReadingJson.of(SensorSchema.industrialMotor());
    static StorageBackend store;
    static IotpmServer server;
    static ApiClient client;
    static String viewer;
    static String operator;

    @BeforeAll
    static void start() {
        store = StorageBackends.open("memory:");
        server = IotpmServer.builder().port(0).storage(store).predictor(new TestPredictor(5)).users(TestUsers.store())
                .jwtSecret(TestUsers.SECRET).build().start();
        client = new ApiClient(server);
        viewer = client.login("vera", TestUsers.VIEWER_PW);
        operator = client.login("oscar", TestUsers.OPERATOR_PW);
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    @Test
    void stream_deliversIngestedReadingsAndPredictionsOfTheChosenDevice() throws Exception {
        SseLines lines = SseLines.open(server.url() + "/api/stream?device_id=LIVE_1", viewer);
        assertThat(lines.status()).isEqualTo(200);
        assertThat(lines.response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        lines.next(": iotpm live stream");
        // Registered before that first line is written. Not "== 1": a stream another test closed stays counted
        // until the server's next write to it fails, up to a heartbeat or two later.
        assertThat(server.liveClients()).isPositive();

        List<SensorReading> other = DeviceApiTest.history("OTHER_1", 3, 1);
        List<SensorReading> mine = DeviceApiTest.history("LIVE_1", 4, 6);
        assertThat(client.post("/api/readings", operator, JSON.writeAll(other)).status()).isEqualTo(201);
        assertThat(client.post("/api/readings", operator, JSON.writeAll(mine)).status()).isEqualTo(201);
        assertThat(lines.next("event:")).isEqualTo("event: readings");
        String data = lines.next("data:");
        assertThat(data).contains("\"device_id\":\"LIVE_1\"").contains(mine.get(0).timestamp().toString());

        assertThat(client.post("/api/predict/LIVE_1", viewer, null).status()).isEqualTo(200);
        assertThat(lines.next("event: predictions")).isNotNull();
        assertThat(lines.next("data:")).contains("\"maintenance_probability\"");
        lines.close();
    }

    @Test
    void stream_acceptsASingleUseTicketInsteadOfTheHeader() throws Exception {
        ApiClient.Response t = client.post("/api/stream/ticket", viewer, null);
        assertThat(t.status()).isEqualTo(200);
        String url = t.json().get("url").asText();
        SseLines res = SseLines.open(server.url() + url + "&topics=readings", null);
        assertThat(res.status()).isEqualTo(200);
        res.next(": iotpm live stream");
        res.close();
        ApiClient.Response replay = client.get(url, null);
        assertThat(replay.status()).isEqualTo(401);
        assertThat(client.get("/api/stream?ticket=forged", null).status()).isEqualTo(401);
    }

    @Test
    void stream_rejectsUnknownTopicsAndBadDeviceIds() {
        ApiClient.Response topic = client.get("/api/stream?topics=readings,secrets", viewer);
        assertThat(topic.status()).isEqualTo(400);
        assertThat(topic.json().get("field").asText()).isEqualTo("topics");
        assertThat(client.get("/api/stream?device_id=..%2Fx", viewer).json().get("field").asText()).isEqualTo("device_id");
        assertThat(client.get("/api/stream", null).status()).isEqualTo(401);
    }

    @Test
    void close_endsOpenStreams() throws Exception {
        IotpmServer other = IotpmServer.builder().port(0).storage(store).users(TestUsers.store())
                .jwtSecret(TestUsers.SECRET).build().start();
        try {
            String token = new ApiClient(other).login("vera", TestUsers.VIEWER_PW);
            SseLines lines = SseLines.open(other.url() + "/api/stream", token);
            lines.next(": iotpm live stream");
            other.close();
            // Jetty may reset the connection instead of finishing the chunked body: the stream ended either way,
            // which is what close() promises.
            assertThat(lines.awaitEnd()).as("stream ended after close()").isTrue();
        } finally {
            other.close();
        }
    }

    @Test
    void hub_feedsTheStream_andIngestToHubPublishesInsteadOfStoring() throws Exception {
        List<SensorReading> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (StreamHub hub = StreamHub.inMemory().build();
             IotpmServer viaHub = IotpmServer.builder().port(0).storage(store).hub(hub).ingestToHub(true)
                     .users(TestUsers.store()).jwtSecret(TestUsers.SECRET).build().start()) {
            hub.subscribe(Topic.READINGS, seen::add);
            ApiClient c = new ApiClient(viaHub);
            String op = c.login("oscar", TestUsers.OPERATOR_PW);
            SseLines lines = SseLines.open(viaHub.url() + "/api/stream?topics=readings", op);
            lines.next(": iotpm live stream");
            assertThat(viaHub.liveClients()).isEqualTo(1);

            List<SensorReading> fromSimulator = DeviceApiTest.history("HUB_SIM", 5, 1);
            hub.publish(fromSimulator.get(0));
            assertThat(lines.next("data:")).contains("HUB_SIM");

            List<SensorReading> posted = DeviceApiTest.history("HUB_POST", 6, 3);
            ApiClient.Response r = c.post("/api/readings", op, JSON.writeAll(posted));
            assertThat(r.status()).isEqualTo(202);
            assertThat(lines.next("data:")).contains("HUB_POST");
            await().atMost(SseLines.WAIT).until(() -> seen.stream().filter(x -> x.deviceId().equals("HUB_POST")).count() == 3);
            assertThat(store.count("HUB_POST")).as("stored by a pipeline on the hub, not by the API").isZero();
            lines.close();
        }
    }
}
