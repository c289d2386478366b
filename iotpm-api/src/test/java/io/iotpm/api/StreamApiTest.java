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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

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

    private static HttpResponse<Stream<String>> open(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).header("Accept", "text/event-stream");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().sendAsync(b.GET().build(), HttpResponse.BodyHandlers.ofLines())
                .get(10, TimeUnit.SECONDS);
    }

    /** Reads lines until one starts with {@code prefix}; the stream sends heartbeats, so this cannot hang forever. */
    private static String next(Iterator<String> lines, String prefix) {
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("stream ended before a line starting with " + prefix);
    }

    @Test
    void stream_deliversIngestedReadingsAndPredictionsOfTheChosenDevice() throws Exception {
        HttpResponse<Stream<String>> res = open("/api/stream?device_id=LIVE_1", viewer);
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        Iterator<String> lines = res.body().iterator();
        next(lines, ": iotpm live stream");
        await(() -> server.liveClients() == 1);

        List<SensorReading> other = DeviceApiTest.history("OTHER_1", 3, 1);
        List<SensorReading> mine = DeviceApiTest.history("LIVE_1", 4, 6);
        assertThat(client.post("/api/readings", operator, JSON.writeAll(other)).status()).isEqualTo(201);
        assertThat(client.post("/api/readings", operator, JSON.writeAll(mine)).status()).isEqualTo(201);
        assertThat(next(lines, "event:")).isEqualTo("event: readings");
        String data = next(lines, "data:");
        assertThat(data).contains("\"device_id\":\"LIVE_1\"").contains(mine.get(0).timestamp().toString());

        assertThat(client.post("/api/predict/LIVE_1", viewer, null).status()).isEqualTo(200);
        assertThat(next(lines, "event: predictions")).isNotNull();
        assertThat(next(lines, "data:")).contains("\"maintenance_probability\"");
        res.body().close();
    }

    @Test
    void stream_acceptsASingleUseTicketInsteadOfTheHeader() throws Exception {
        ApiClient.Response t = client.post("/api/stream/ticket", viewer, null);
        assertThat(t.status()).isEqualTo(200);
        String url = t.json().get("url").asText();
        HttpResponse<Stream<String>> res = open(url + "&topics=readings", null);
        assertThat(res.statusCode()).isEqualTo(200);
        next(res.body().iterator(), ": iotpm live stream");
        res.body().close();
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
            HttpResponse<Stream<String>> res = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(URI.create(other.url() + "/api/stream")).header("Authorization", "Bearer " + token)
                            .GET().build(), HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
            Iterator<String> lines = res.body().iterator();
            next(lines, ": iotpm live stream");
            other.close();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            boolean ended = false;
            try {
                while (lines.hasNext() && System.nanoTime() < end) {
                    lines.next();
                }
                ended = !lines.hasNext();
            } catch (java.io.UncheckedIOException e) {
                // Jetty may reset the connection instead of finishing the chunked body: the stream ended
                // either way, which is what close() promises.
                ended = true;
            }
            assertThat(ended).as("stream ended after close()").isTrue();
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
            HttpResponse<Stream<String>> res = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(URI.create(viaHub.url() + "/api/stream?topics=readings"))
                            .header("Authorization", "Bearer " + op).GET().build(),
                    HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
            Iterator<String> lines = res.body().iterator();
            next(lines, ": iotpm live stream");
            await(() -> viaHub.liveClients() == 1);

            List<SensorReading> fromSimulator = DeviceApiTest.history("HUB_SIM", 5, 1);
            hub.publish(fromSimulator.get(0));
            assertThat(next(lines, "data:")).contains("HUB_SIM");

            List<SensorReading> posted = DeviceApiTest.history("HUB_POST", 6, 3);
            ApiClient.Response r = c.post("/api/readings", op, JSON.writeAll(posted));
            assertThat(r.status()).isEqualTo(202);
            assertThat(next(lines, "data:")).contains("HUB_POST");
            await(() -> seen.stream().filter(x -> x.deviceId().equals("HUB_POST")).count() == 3);
            assertThat(store.count("HUB_POST")).as("stored by a pipeline on the hub, not by the API").isZero();
            res.body().close();
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(10);
        }
    }
}
