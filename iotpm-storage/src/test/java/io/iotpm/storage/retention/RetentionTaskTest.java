package io.iotpm.storage.retention;

import io.iotpm.core.FailureEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.config.IotpmConfig;
import io.iotpm.core.retention.Retainable;
import io.iotpm.core.retention.RetentionMetrics;
import io.iotpm.core.retention.RetentionTask;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.test.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The retention task over real SQLite and memory storage, in virtual time (a {@link MutableClock}). */
class RetentionTaskTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final SensorSchema MOTOR = SensorSchema.industrialMotor();

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0.plus(Duration.ofDays(10)));
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        scheduler.shutdownNow();
    }

    /** Ten days of hourly readings of one device, and events on days 6 and 9. */
    private StorageBackend filled(String uri) {
        StorageBackend s = StorageBackends.open(uri);
        toClose.add(s);
        List<SensorReading> rs = new ArrayList<>();
        for (int h = 0; h < 240; h++) {
            rs.add(SensorReading.of("PUMP_001", T0.plus(Duration.ofHours(h)), MOTOR,
                    60, 0.5, 0.4, 0.3, 2.5, 1800, 15, 220, 0.95, 45));
        }
        s.appendAll(rs);
        s.appendEvent(new FailureEvent("PUMP_001", T0.plus(Duration.ofDays(6)), "overheating"));
        s.appendEvent(new FailureEvent("PUMP_001", T0.plus(Duration.ofDays(9)), "bearing"));
        return s;
    }

    /** An alert history the way an alert store would expose it: resolution times, trimmed by age. */
    private static final class History implements Retainable {
        final ConcurrentSkipListSet<Instant> resolved = new ConcurrentSkipListSet<>();

        @Override
        public String name() {
            return "alert-history";
        }

        @Override
        public long removeBefore(Instant cutoff) {
            var old = resolved.headSet(cutoff);
            int n = old.size();
            old.clear();
            return n;
        }
    }

    @Test
    void scheduledRuns_removeReadingsEventsAndAlertHistoryOlderThanTheirAges_byTheInjectedClock() {
        StorageBackend s = filled("sqlite:" + dir.resolve("r.db"));
        History history = new History();
        for (int d = 0; d < 10; d++) {
            history.resolved.add(T0.plus(Duration.ofDays(d)));
        }
        RetentionTask task = RetentionTask.builder().target(Retainable.readings(s), Duration.ofDays(5))
                .target(Retainable.events(s), Duration.ofDays(3)).target(history, Duration.ofDays(7))
                .every(Duration.ofMillis(20)).initialDelay(Duration.ZERO).clock(clock).scheduler(scheduler)
                .build().start();
        toClose.add(task);

        await().atMost(Duration.ofSeconds(30)).until(() -> task.metrics().runs() >= 1);
        assertThat(s.count("PUMP_001")).isEqualTo(5 * 24);
        assertThat(s.events("PUMP_001", T0, clock.instant())).hasSize(1);
        assertThat(history.resolved).hasSize(7);
        RetentionMetrics first = task.metrics();
        assertThat(first.removed()).containsEntry("readings", 120L).containsEntry("events", 1L)
                .containsEntry("alert-history", 3L);
        assertThat(first.failures()).isZero();

        // Two days later (virtual time): the next run trims two more days.
        clock.advance(Duration.ofDays(2));
        await().atMost(Duration.ofSeconds(30)).until(() -> task.metrics().removed().get("readings") == 168L);
        assertThat(s.count("PUMP_001")).isEqualTo(3 * 24);
        await().atMost(Duration.ofSeconds(30)).until(() -> task.metrics().removed().get("alert-history") == 5L);
        assertThat(task.metrics().lastRun()).isEqualTo(clock.instant());

        task.close();
        assertThat(scheduler.isShutdown()).as("an injected scheduler belongs to its owner").isFalse();
        assertThatThrownBy(task::runOnce).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void failingTarget_isCounted_andTheOthersStillRun() {
        StorageBackend s = filled("memory:");
        RetentionTask task = RetentionTask.builder()
                .target(Retainable.of("broken", cutoff -> {
                    throw new IllegalStateException("alert store is down");
                }), Duration.ofDays(1))
                .target(Retainable.readings(s), Duration.ofDays(1)).clock(clock).build();
        toClose.add(task);
        Map<String, Long> run = task.runOnce();
        assertThat(run).containsOnlyKeys("readings").containsEntry("readings", 216L);
        assertThat(task.metrics().failures()).isEqualTo(1);
        assertThat(task.metrics().runs()).isEqualTo(1);
    }

    @Test
    void fromConfig_takesTheAgesAndIntervalFromTheSettings() {
        StorageBackend s = filled("memory:");
        IotpmConfig config = IotpmConfig.builder().environment(Map.of("DATA_RETENTION", "8d",
                "EVENT_RETENTION", "2d", "RETENTION_INTERVAL", "10m")).build();
        RetentionTask task = RetentionTask.fromConfig(config, s).clock(clock).build();
        toClose.add(task);
        assertThat(task.runOnce()).containsEntry("readings", 48L).containsEntry("events", 1L);
        assertThat(task.toString()).contains("every PT10M");
        assertThat(IotpmConfig.builder().environment(Map.of()).build().get(IotpmConfig.ALERT_HISTORY_RETENTION))
                .isEqualTo(Duration.ofDays(365));
    }

    @Test
    void ownThread_isNamed_andStopsOnClose() {
        StorageBackend s = filled("memory:");
        RetentionTask task = RetentionTask.builder().target(Retainable.readings(s), Duration.ofDays(1))
                .every(Duration.ofMillis(10)).initialDelay(Duration.ZERO).clock(clock).build().start();
        await().atMost(Duration.ofSeconds(30)).until(() -> task.metrics().runs() >= 2);
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).contains("iotpm-retention");
        task.close();
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).doesNotContain("iotpm-retention");
    }

    @Test
    void builder_checksItsSettings() {
        StorageBackend s = filled("memory:");
        assertThatThrownBy(() -> RetentionTask.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("target");
        assertThatThrownBy(() -> RetentionTask.builder().target(Retainable.readings(s), Duration.ZERO))
                .hasMessageContaining("age of 'readings' must be > 0, but was PT0S");
        assertThatThrownBy(() -> RetentionTask.builder().target(Retainable.readings(s), Duration.ofDays(1))
                .target(Retainable.readings(s), Duration.ofDays(2))).hasMessageContaining("'readings' was added");
        assertThatThrownBy(() -> RetentionTask.builder().every(Duration.ofNanos(5))).hasMessageContaining("1 ms");
        assertThatThrownBy(() -> RetentionTask.builder().initialDelay(Duration.ofSeconds(-1)))
                .hasMessageContaining("PT-1S");
    }
}
