package io.iotpm.examples.soak;

import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.AlertStats;
import io.iotpm.alerts.notify.HubNotifier;
import io.iotpm.alerts.notify.WebhookNotifier;
import io.iotpm.alerts.rules.AlertRules;
import io.iotpm.api.IotpmServer;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.json.ReadingJson;
import io.iotpm.core.pipeline.MonitoringPipeline;
import io.iotpm.core.pipeline.PipelineMetrics;
import io.iotpm.core.retention.Retainable;
import io.iotpm.core.retention.RetentionMetrics;
import io.iotpm.core.retention.RetentionTask;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.core.stream.Overflow;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.stream.SubscriberOptions;
import io.iotpm.core.stream.Subscription;
import io.iotpm.core.stream.Topic;
import io.iotpm.examples.reliability.SmallLstm;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.test.MutableClock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole stack for a long time under injected faults ({@code ./mvnw -Psoak -pl examples verify
 * -Diotpm.soak.duration=30m}): readings posted over HTTP to the API server, which publishes them to
 * the hub; a pipeline stores them in SQLite, runs a trained LSTM and the default alert rules, whose
 * notifications go to a slow and a failing webhook (real local HTTP servers) and to the hub; four
 * live-stream clients, one slow; a slow hub subscriber; retention on a schedule. Faults: the storage
 * fails for a minute, the slow webhook hangs past its notifier's timeout, a burst of bad requests.
 * Heap after GC, RSS, native memory, threads, file descriptors and the WAL must stay flat, and every
 * reading sent must be accounted for. Prints a table and writes {@code target/soak-report.md}.
 */
@Tag("soak")
class SoakTest {

    private static final SensorSchema MOTOR = SensorSchema.industrialMotor();
    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
    private static final int DEVICES = 20;
    private static final long TICK_MILLIS = 500;

    @TempDir
    Path dir;

    static Duration duration() {
        String d = System.getProperty("iotpm.soak.duration", "30m").trim().toLowerCase(Locale.ROOT);
        return d.startsWith("p") ? Duration.parse(d.toUpperCase(Locale.ROOT))
                : d.endsWith("m") ? Duration.ofMinutes(Long.parseLong(d.substring(0, d.length() - 1)))
                : Duration.ofSeconds(Long.parseLong(d.replace("s", "")));
    }

    @Test
    void wholeStack_underFaults_staysFlat_andAccountsForEveryReading() throws Exception {
        Duration total = duration();
        long totalMillis = total.toMillis();
        Duration outage = Duration.ofMillis(Math.min(60_000, totalMillis / 4));
        Path db = dir.resolve("soak.db");
        MutableClock dataClock = new MutableClock(T0);
        ReadingJson json = ReadingJson.of(MOTOR);
        Fleet fleet = Fleet.builder().devices(DEVICES).idPrefix("SOAK_").seed(22).failureProbability(0.6)
                .interval(Duration.ofMinutes(1)).start(T0).build();
        long sent = 0;
        long badSent = 0;
        long ticks = 0;
        SoakProbe probe = new SoakProbe(Path.of(db + "-wal"));
        List<SoakTraffic.SseClient> sse = new ArrayList<>();
        try (LstmPredictor lstm = SmallLstm.train(30, 22);
             StorageBackend sqlite = StorageBackends.open("sqlite:" + db);
             WebhookServer slow = new WebhookServer(200, 300);
             WebhookServer failing = new WebhookServer(500, 0);
             StreamHub hub = StreamHub.inMemory().build()) {
            FaultyStorage storage = new FaultyStorage(sqlite);
            AlertManager alerts = AlertManager.builder().clock(dataClock).rules(AlertRules.defaults(MOTOR))
                    .notifier(WebhookNotifier.builder(slow.url("127.0.0.1")).timeout(Duration.ofSeconds(1)).build())
                    .notifier(WebhookNotifier.builder(failing.url("localhost")).build())
                    .notifier(HubNotifier.to(hub)).retryBackoff(Duration.ofMillis(200)).build();
            // Three hours of reading time: about 3,600 rows per device at any time, trimmed every 10 s.
            RetentionTask retention = RetentionTask.builder()
                    .target(Retainable.readings(storage), Duration.ofHours(3)).every(Duration.ofSeconds(10))
                    .clock(dataClock).build();
            MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub).storage(storage).predictor(lstm)
                    .listener(alerts).predictEvery(Duration.ofMinutes(10)).retryBackoff(Duration.ofMillis(100),
                            Duration.ofSeconds(2)).closeTimeout(Duration.ofSeconds(30)).build().start();
            Subscription slowSubscriber = hub.subscribe(Topic.READINGS, SubscriberOptions.builder().name("slow")
                    .capacity(64).overflow(Overflow.DROP_OLDEST).build(), r -> pause(20));
            IotpmServer server = IotpmServer.builder().port(0).storage(storage).predictor(lstm).hub(hub)
                    .ingestToHub(true).alerts(alerts).demoMode(true).retentionTask(retention)
                    .accessTokenTtl(Duration.ofHours(1)).build().start();
            SoakTraffic traffic = new SoakTraffic(server.url());
            traffic.login();
            for (int i = 0; i < 4; i++) {
                sse.add(traffic.new SseClient("c" + i, i == 3 ? 200 : 0));
            }

            long start = System.currentTimeMillis();
            long sampleEvery = Math.max(3_000, totalMillis / 40);
            long nextSample = start + 5_000;
            long nextLogin = start + Duration.ofMinutes(10).toMillis();
            boolean burstDone = false;
            for (long now = start; now - start < totalMillis; now = System.currentTimeMillis()) {
                double at = (now - start) / (double) totalMillis;
                storage.down = now - start >= totalMillis * 3 / 10 && now - start < totalMillis * 3 / 10 + outage.toMillis();
                slow.delayMillis = at >= 0.6 && at < 0.75 ? 3_000 : 300;
                if (!burstDone && at >= 0.5) {
                    badSent += badRequestBurst(traffic);
                    burstDone = true;
                }
                if (now >= nextLogin) {
                    traffic.login();
                    nextLogin = now + Duration.ofMinutes(10).toMillis();
                }
                List<SensorReading> step = fleet.next();
                dataClock.set(step.get(0).timestamp());
                for (SensorReading r : step) {
                    traffic.post(json.write(ticks % 10 == 0 && r == step.get((int) (ticks / 10 % DEVICES))
                            ? overheated(r) : r));
                    sent++;
                }
                ticks++;
                if (now >= nextSample) {
                    probe.sample();
                    nextSample = now + sampleEvery;
                }
                pause(Math.max(0, TICK_MILLIS - (System.currentTimeMillis() - now)));
            }
            storage.down = false;
            long accepted = traffic.count(202);
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> {
                PipelineMetrics m = pipeline.metrics();
                return m.readingsReceived() == accepted && m.readingsPending() == 0;
            });
            probe.sample();

            sse.forEach(SoakTraffic.SseClient::close);
            RetentionMetrics kept = server.retentionMetrics();
            server.close();
            slowSubscriber.close();
            pipeline.close();
            AlertStats as = alerts.stats();
            alerts.close();
            PipelineMetrics m = pipeline.metrics();
            long rows = 0;
            for (String id : fleet.deviceIds()) {
                rows += sqlite.count(id);
            }
            long removed = kept.removed().get("readings");
            String report = report(total, sent, badSent, ticks, traffic, m, rows, removed, as, slow, failing, sse,
                    probe);
            System.out.println(report);
            Files.writeString(Path.of("target", "soak-report.md"), report);

            // Every reading sent is accounted for: accepted, or rejected with a status and reason.
            assertThat(traffic.count(202) + traffic.count(400) + traffic.count(503) + traffic.count(-1))
                    .as("answers by status %s", traffic.statuses).isEqualTo(sent + badSent);
            assertThat(traffic.count(400)).as("bad requests answered 400").isEqualTo(badSent);
            assertThat(m.readingsReceived()).isEqualTo(accepted);
            assertThat(m.readingsStored() + m.readingsRejected() + m.readingsLost()).isEqualTo(m.readingsReceived());
            assertThat(m.readingsLost()).isZero();
            assertThat(rows + removed).as("rows now + rows retention removed").isEqualTo(m.readingsStored());
            assertThat(m.storageErrors()).as("the outage was felt").isPositive();
            assertThat(m.predictions()).isPositive();
            assertThat(m.predictorErrors()).isZero();
            assertThat(as.fired()).isPositive();
            assertThat(slow.received.get()).isPositive();
            assertThat(as.notifiers()).filteredOn(n -> n.name().equals("webhook-127.0.0.1"))
                    .singleElement().satisfies(n -> assertThat(n.retries()).as("the slow webhook timed out").isPositive());
            assertThat(failing.received.get()).isPositive();
            assertThat(sse).allSatisfy(c -> assertThat(c.events.get()).isPositive());
            assertThat(probe.trends()).filteredOn(t -> !Double.isNaN(t.growth()))
                    .allSatisfy(t -> assertThat(t.flat()).as("%s grew %.1f (allowed %.1f)", t.name(), t.growth(),
                            t.allowed()).isTrue());
        } finally {
            sse.forEach(SoakTraffic.SseClient::close);
        }
    }

    /** The reading at 112 °C: every tenth step one device overheats, so alerts and notifications keep coming. */
    private static SensorReading overheated(SensorReading r) {
        double[] v = r.values();
        v[MOTOR.requireIndex("temperature")] = 112;
        return SensorReading.of(r.deviceId(), r.timestamp(), MOTOR, v);
    }

    /** Malformed JSON, a value outside its channel's range, an unsafe device id, an empty body. */
    private static long badRequestBurst(SoakTraffic traffic) throws InterruptedException {
        String[] bad = {"{\"device_id\":", "{\"device_id\":\"SOAK_001\",\"timestamp\":\"2026-06-01T00:00:00Z\","
                + "\"temperature\":1e9}", "{\"device_id\":\"../etc\",\"timestamp\":\"2026-06-01T00:00:00Z\"}", ""};
        long n = 0;
        for (int i = 0; i < 300; i++) {
            traffic.post(bad[i % bad.length]);
            n++;
        }
        return n;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String report(Duration total, long sent, long badSent, long ticks, SoakTraffic traffic,
                                 PipelineMetrics m, long rows, long removed, AlertStats as, WebhookServer slow,
                                 WebhookServer failing, List<SoakTraffic.SseClient> sse, SoakProbe probe)
            throws java.io.IOException {
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%n## Soak: %s, %d samples, load average at the end %s%n%n", total,
                probe.samples.size(), load));
        sb.append(probe.table()).append('\n');
        sb.append("| accounting | count |\n|---|---:|\n");
        row(sb, "readings sent over HTTP (" + DEVICES + " devices, " + ticks + " steps)", sent);
        row(sb, "bad requests sent (burst)", badSent);
        traffic.statuses.forEach((status, n) -> row(sb, "answered " + status + " (e.g. "
                + traffic.reasons.get(status).replace('|', '/').replace('\n', ' ') + ")", n.get()));
        row(sb, "pipeline received", m.readingsReceived());
        row(sb, "pipeline stored", m.readingsStored());
        row(sb, "pipeline rejected by storage", m.readingsRejected());
        row(sb, "pipeline lost", m.readingsLost());
        row(sb, "storage errors during the outage (retried)", m.storageErrors());
        row(sb, "rows in SQLite at the end", rows);
        row(sb, "rows removed by retention", removed);
        row(sb, "LSTM predictions", m.predictions());
        row(sb, "predictor errors", m.predictorErrors());
        row(sb, "alerts fired", as.fired());
        row(sb, "webhook posts received: slow (300 ms, 3 s past a 1 s timeout in the fault)", slow.received.get());
        row(sb, "webhook posts received: failing (answers 500)", failing.received.get());
        as.notifiers().forEach(n -> row(sb, "notifier " + n.name() + ": sent / failed / retries / dropped = "
                + n.sent() + " / " + n.failed() + " / " + n.retries() + " / " + n.dropped(), n.sent()));
        for (int i = 0; i < sse.size(); i++) {
            row(sb, "SSE client " + i + (i == 3 ? " (slow)" : "") + " events", sse.get(i).events.get());
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String what, long n) {
        sb.append("| ").append(what).append(" | ").append(n).append(" |\n");
    }
}
