package io.iotpm.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.iotpm.core.FailureEvent;
import io.iotpm.core.MaintenanceEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.json.ReadingJson;
import io.iotpm.core.sim.SensorSimulator;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class DeviceApiTest {

    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final ReadingJson JSON = ReadingJson.of(SensorSchema.industrialMotor());

    static StorageBackend store;
    static IotpmServer server;
    static ApiClient client;
    static String viewer;
    static String operator;

    @TempDir
    static Path dir;

    /** The real SQLite backend on a file: what a plant installation runs. */
    @BeforeAll
    static void start() {
        store = StorageBackends.open("sqlite:" + dir.resolve("api.db"));
        store.appendAll(history("PUMP_001", 1, 300));
        store.appendAll(history("PUMP_002", 2, 50));
        store.appendEvent(new FailureEvent("PUMP_001", START.plus(Duration.ofMinutes(100)), "bearing_wear"));
        store.appendEvent(new MaintenanceEvent("PUMP_001", START.plus(Duration.ofMinutes(110)), "bearing replaced"));
        store.appendEvent(new FailureEvent("PUMP_001", START.plus(Duration.ofMinutes(200)), "overheating"));
        server = IotpmServer.builder().port(0).storage(store).users(TestUsers.store())
                .jwtSecret(TestUsers.SECRET).maxBodyBytes(64 * 1024).build().start();
        client = new ApiClient(server);
        viewer = client.login("vera", TestUsers.VIEWER_PW);
        operator = client.login("oscar", TestUsers.OPERATOR_PW);
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    static List<SensorReading> history(String id, long seed, int minutes) {
        return SensorSimulator.builder().deviceId(id).seed(seed).start(START).failureProbability(0).build()
                .history(Duration.ofMinutes(minutes)).toList();
    }

    @Test
    void devices_listsEveryStoredDeviceWithCountAndHealth() {
        ApiClient.Response r = client.get("/api/devices", viewer);
        assertThat(r.status()).isEqualTo(200);
        JsonNode devices = r.json().get("devices");
        assertThat(devices).hasSizeGreaterThanOrEqualTo(2);
        JsonNode first = null;
        for (JsonNode d : devices) {
            if (d.get("device_id").asText().equals("PUMP_001")) {
                first = d;
            }
        }
        assertThat(first).isNotNull();
        assertThat(first.get("device_id").asText()).isEqualTo("PUMP_001");
        assertThat(first.get("reading_count").asLong()).isEqualTo(300);
        assertThat(first.get("health_score").asDouble()).isBetween(0.0, 100.0);
        assertThat(first.get("status").asText()).isIn("NORMAL", "WARNING", "CRITICAL", "FAILED");
        assertThat(client.get("/api/devices/PUMP_002", viewer).json().get("reading_count").asLong()).isEqualTo(50);
        assertThat(client.get("/api/devices/NOPE", viewer).status()).isEqualTo(404);
    }

    @Test
    void data_returnsLatestReadingsOldestFirst() {
        ApiClient.Response r = client.get("/api/devices/PUMP_001/data?limit=100", viewer);
        assertThat(r.status()).isEqualTo(200);
        JsonNode data = r.json().get("data");
        assertThat(data).hasSize(100);
        assertThat(r.json().get("count").asInt()).isEqualTo(100);
        assertThat(data.get(99).get("timestamp").asText()).isEqualTo(START.plus(Duration.ofMinutes(299)).toString());
        assertThat(data.get(0).get("timestamp").asText()).isEqualTo(START.plus(Duration.ofMinutes(200)).toString());
        assertThat(data.get(0).has("temperature")).isTrue();
        assertThat(data.get(0).has("health_score")).isTrue();
        assertThat(client.get("/api/devices/PUMP_001/data", viewer).json().get("data")).hasSize(100);
    }

    @Test
    void data_servesNewReadingsRightAfterIngest_andAnswers304ForAnUnchangedETag() {
        // A year before the other devices, so the global deleteBefore below only touches this one.
        List<SensorReading> readings = SensorSimulator.builder().deviceId("CACHE_1").seed(11)
                .start(START.minus(Duration.ofDays(365))).failureProbability(0).build()
                .history(Duration.ofMinutes(30)).toList();
        store.appendAll(readings.subList(0, 20));
        ApiClient.Response first = client.get("/api/devices/CACHE_1/data?limit=5", viewer);
        String etag = first.header("ETag");
        assertThat(etag).isNotNull();
        ApiClient.Response again = client.get("/api/devices/CACHE_1/data?limit=5", viewer);
        assertThat(again.body()).isEqualTo(first.body());
        ApiClient.Response notModified = client.send(client.request("/api/devices/CACHE_1/data?limit=5", viewer)
                .header("If-None-Match", etag).GET());
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();

        store.appendAll(readings.subList(20, 30));
        ApiClient.Response after = client.send(client.request("/api/devices/CACHE_1/data?limit=5", viewer)
                .header("If-None-Match", etag).GET());
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.header("ETag")).isNotEqualTo(etag);
        assertThat(after.json().get("data").get(4).get("timestamp").asText())
                .isEqualTo(readings.get(29).timestamp().toString());
        store.deleteBefore(readings.get(28).timestamp());
        assertThat(client.get("/api/devices/CACHE_1/data?limit=5", viewer).json().get("data")).hasSize(2);
    }

    @Test
    void data_pagesThroughATimeRange() {
        String from = START.plus(Duration.ofMinutes(10)).toString();
        String to = START.plus(Duration.ofMinutes(35)).toString();
        ApiClient.Response p1 = client.get("/api/devices/PUMP_001/data?from=" + from + "&to=" + to + "&limit=10", viewer);
        assertThat(p1.status()).isEqualTo(200);
        assertThat(p1.json().get("data")).hasSize(10);
        assertThat(p1.json().get("data").get(0).get("timestamp").asText()).isEqualTo(from);
        assertThat(p1.json().get("next_offset").asInt()).isEqualTo(10);
        ApiClient.Response p3 = client.get("/api/devices/PUMP_001/data?from=" + from + "&to=" + to + "&limit=10&offset=20", viewer);
        assertThat(p3.json().get("data")).hasSize(5);
        assertThat(p3.json().get("next_offset").isNull()).isTrue();
        long epochMs = START.plus(Duration.ofMinutes(290)).toEpochMilli();
        assertThat(client.get("/api/devices/PUMP_001/data?from=" + epochMs, viewer).json().get("data")).hasSize(10);
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=-1", "limit=abc", "limit=10001", "limit=1&limit=2", "from=yesterday",
            "from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "offset=5", "from=2026-01-01T00:00:00Z&offset=-1"})
    void data_rejectsBadQueryParametersNamingThem(String query) {
        ApiClient.Response r = client.get("/api/devices/PUMP_001/data?" + query, viewer);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_request");
        assertThat(query).contains(r.json().get("field").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUMP_001' OR '1'='1", "x; DROP TABLE readings;--", "PUMP_001\" --", "a b",
            "../../etc/passwd", "%2e%2e", "PUMP/001", "ÄÖÜ", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void data_rejectsUnsafeDeviceIds(String id) {
        String encoded = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
        ApiClient.Response r = client.get("/api/devices/" + encoded + "/data", viewer);
        assertThat(r.status()).as(id + " -> " + r.body()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_request");
        assertThat(r.body()).doesNotContain("Exception");
    }

    @Test
    void data_rejectsRawPathTraversal() {
        for (String path : List.of("/api/devices/..%2F..%2Fetc%2Fpasswd/data", "/api/devices/%2e%2e/data",
                "/api/devices/PUMP_001%00/data")) {
            ApiClient.Response r = client.get(path, viewer);
            assertThat(r.status()).as(path + " -> " + r.body()).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isEqualTo("invalid_request");
        }
        // Jetty drops the connection after an unparseable URI; the answer must say so, or a keep-alive client
        // sends its next request down the dead socket and gets no response at all.
        ApiClient.Response nul = client.get("/api/devices/PUMP_001%00/data", viewer);
        assertThat(nul.header("Connection")).isEqualTo("close");
        assertThat(client.post("/api/readings", operator, JSON.writeAll(history("AFTER_400", 3, 2))).status())
                .isEqualTo(201);
    }

    @Test
    void data_unknownDeviceIs404() {
        ApiClient.Response r = client.get("/api/devices/UNKNOWN_9/data", viewer);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("error").asText()).isEqualTo("not_found");
    }

    @Test
    void events_returnsFailureAndMaintenanceEventsOldestFirst() {
        ApiClient.Response r = client.get("/api/devices/PUMP_001/events", viewer);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("device_id").asText()).isEqualTo("PUMP_001");
        JsonNode events = r.json().get("events");
        assertThat(events).hasSize(3);
        assertThat(events.get(0).get("timestamp").asText()).isEqualTo(START.plus(Duration.ofMinutes(100)).toString());
        assertThat(events.get(0).get("type").asText()).isEqualTo("failure");
        assertThat(events.get(0).get("detail").asText()).isEqualTo("bearing_wear");
        assertThat(events.get(1).get("type").asText()).isEqualTo("maintenance");
        assertThat(events.get(1).get("detail").asText()).isEqualTo("bearing replaced");
        assertThat(r.json().get("truncated").asBoolean()).isFalse();
    }

    @Test
    void events_filtersByHalfOpenRangeAndKeepsTheNewestWithinLimit() {
        String from = START.plus(Duration.ofMinutes(100)).toString();
        String to = START.plus(Duration.ofMinutes(200)).toString();
        JsonNode ranged = client.get("/api/devices/PUMP_001/events?from=" + from + "&to=" + to, viewer).json();
        assertThat(ranged.get("events")).hasSize(2);
        assertThat(ranged.get("events").get(1).get("detail").asText()).isEqualTo("bearing replaced");
        JsonNode limited = client.get("/api/devices/PUMP_001/events?limit=1", viewer).json();
        assertThat(limited.get("events")).hasSize(1);
        assertThat(limited.get("events").get(0).get("detail").asText()).isEqualTo("overheating");
        assertThat(limited.get("truncated").asBoolean()).isTrue();
        ApiClient.Response none = client.get("/api/devices/PUMP_002/events", viewer);
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.json().get("events")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=abc", "limit=10001", "limit=1&limit=2", "from=yesterday", "to=soon",
            "from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z"})
    void events_rejectsBadQueryParametersNamingThem(String query) {
        ApiClient.Response r = client.get("/api/devices/PUMP_001/events?" + query, viewer);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_request");
        assertThat(query).contains(r.json().get("field").asText());
    }

    @Test
    void events_rejectsUnsafeDeviceIdAndAnswers404ForAnUnknownDevice() {
        ApiClient.Response bad = client.get("/api/devices/%2e%2e/events", viewer);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).isEqualTo("invalid_request");
        ApiClient.Response unknown = client.get("/api/devices/UNKNOWN_9/events", viewer);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).isEqualTo("not_found");
        assertThat(client.get("/api/devices/PUMP_001/events", null).status()).isEqualTo(401);
    }

    @Test
    void ingest_storesASingleReadingAndABatch() {
        List<SensorReading> readings = history("INGEST_1", 7, 20);
        ApiClient.Response one = client.post("/api/readings", operator, JSON.write(readings.get(0)));
        assertThat(one.status()).isEqualTo(201);
        assertThat(one.json().get("accepted").asInt()).isEqualTo(1);
        ApiClient.Response batch = client.post("/api/readings", operator, JSON.writeAll(readings.subList(1, 20)));
        assertThat(batch.status()).isEqualTo(201);
        assertThat(batch.json().get("accepted").asInt()).isEqualTo(19);
        assertThat(store.count("INGEST_1")).isEqualTo(20);
        assertThat(store.latest("INGEST_1", 1).get(0)).isEqualTo(readings.get(19));
    }

    @Test
    void ingest_rejectsMalformedAndMistypedReadingsNamingTheFieldAndStoresNothing() {
        List<SensorReading> readings = history("BAD_1", 8, 3);
        String good = JSON.write(readings.get(0));
        String wrongType = JSON.write(readings.get(1)).replaceFirst("\"temperature\":[0-9.]+", "\"temperature\":\"hot\"");
        ApiClient.Response r = client.post("/api/readings", operator, "[" + good + "," + wrongType + "]");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("field").asText()).isEqualTo("[1].temperature");
        assertThat(store.count("BAD_1")).isZero();

        ApiClient.Response unknown = client.post("/api/readings", operator, good.replace("\"rpm\"", "\"rpms\""));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("field").asText()).isEqualTo("rpms");
        ApiClient.Response badId = client.post("/api/readings", operator, good.replace("BAD_1", "../x"));
        assertThat(badId.json().get("field").asText()).isEqualTo("device_id");
        ApiClient.Response outOfRange = client.post("/api/readings", operator,
                good.replaceFirst("\"temperature\":[0-9.]+", "\"temperature\":1e9"));
        assertThat(outOfRange.status()).isEqualTo(400);
        assertThat(outOfRange.json().get("field").asText()).isEqualTo("temperature");
        ApiClient.Response malformed = client.post("/api/readings", operator, good.substring(0, good.length() - 3));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("message").asText()).contains("malformed JSON");
        assertThat(client.post("/api/readings", operator, "").status()).isEqualTo(400);
        assertThat(client.post("/api/readings", operator, "[]").status()).isEqualTo(400);
        assertThat(client.post("/api/readings", operator, "42").status()).isEqualTo(400);
        assertThat(store.count("BAD_1")).isZero();
    }

    @Test
    void ingest_rejectsOversizedBodyWith413() {
        List<SensorReading> many = history("BIG_1", 9, 400);
        String body = JSON.writeAll(many);
        assertThat(body.length()).isGreaterThan(64 * 1024);
        ApiClient.Response r = client.post("/api/readings", operator, body);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().get("error").asText()).isEqualTo("payload_too_large");
        assertThat(store.count("BIG_1")).isZero();
    }

    @Test
    void ingest_rejectsOversizedChunkedBodyWithoutContentLengthWith413() {
        String body = JSON.writeAll(history("BIG_2", 10, 400));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        // An input-stream publisher of unknown length makes the JDK client send Transfer-Encoding: chunked.
        ApiClient.Response r = client.send(client.request("/api/readings", operator)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))));
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().get("error").asText()).isEqualTo("payload_too_large");
        assertThat(r.header("Connection")).as("the unread rest of the body ends the connection").isEqualTo("close");
        assertThat(store.count("BIG_2")).isZero();
    }

    @Test
    void ingest_fromEightConcurrentClientsLosesNothing() throws Exception {
        int clients = 8;
        int batches = 25;
        int perBatch = 20;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                String id = "CONC_" + c;
                List<SensorReading> readings = history(id, 100 + c, batches * perBatch);
                results.add(pool.submit(() -> {
                    ApiClient own = new ApiClient(server);
                    int accepted = 0;
                    for (int b = 0; b < batches; b++) {
                        ApiClient.Response r = own.post("/api/readings", operator,
                                JSON.writeAll(readings.subList(b * perBatch, (b + 1) * perBatch)));
                        assertThat(r.status()).as(r.body()).isEqualTo(201);
                        accepted += r.json().get("accepted").asInt();
                    }
                    return accepted;
                }));
            }
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get();
            }
            assertThat(total).isEqualTo(clients * batches * perBatch);
            for (int c = 0; c < clients; c++) {
                assertThat(store.count("CONC_" + c)).isEqualTo((long) batches * perBatch);
                assertThat(store.latest("CONC_" + c, 1).get(0).timestamp())
                        .isEqualTo(START.plus(Duration.ofMinutes(batches * perBatch - 1)));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unknownEndpointAndWrongMethodAnswerJson() {
        ApiClient.Response missing = client.get("/api/nothing-here", viewer);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).isEqualTo("not_found");
        ApiClient.Response method = client.delete("/api/devices", viewer);
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.json().get("error").asText()).isEqualTo("method_not_allowed");
    }
}
