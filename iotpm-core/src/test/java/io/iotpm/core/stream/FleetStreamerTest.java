package io.iotpm.core.stream;

import io.iotpm.core.SensorReading;
import io.iotpm.core.pipeline.TestStorage;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.Fleet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class FleetStreamerTest {

    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    private final StreamHub hub = StreamHub.inMemory().build();

    @AfterEach
    void tearDown() {
        hub.close();
    }

    private static Fleet fleet(int devices) {
        return Fleet.builder().devices(devices).idPrefix("PUMP_").seed(3).start(START)
                .interval(Duration.ofMinutes(1)).build();
    }

    @Test
    void step_publishesTheNextReadingOfEveryDevice() throws Exception {
        List<SensorReading> got = Collections.synchronizedList(new ArrayList<>());
        Subscription s = hub.subscribe(Topic.READINGS, got::add);
        FleetStreamer streamer = FleetStreamer.builder(hub).fleet(fleet(3)).build();
        assertThat(streamer.step()).isEqualTo(3);
        assertThat(streamer.advance(2)).isEqualTo(6);
        assertThat(s.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(got).extracting(SensorReading::deviceId)
                .containsExactly("PUMP_001", "PUMP_002", "PUMP_003", "PUMP_001", "PUMP_002", "PUMP_003",
                        "PUMP_001", "PUMP_002", "PUMP_003");
        assertThat(got.get(8).timestamp()).isEqualTo(START.plus(Duration.ofMinutes(2)));
        assertThat(streamer.steps()).isEqualTo(3);
        assertThat(streamer.published()).isEqualTo(9);
    }

    @Test
    void builderWithSink_sendsEveryReadingToTheSink_countsRefusals_andStopsWhenTheSinkCloses() throws Exception {
        List<SensorReading> got = new ArrayList<>();
        boolean[] closed = {false};
        ReadingSink sink = new ReadingSink() {
            @Override
            public void accept(SensorReading r) {
                if (closed[0]) {
                    throw new IllegalStateException("closed");
                }
                if (r.deviceId().equals("PUMP_002")) {
                    throw new StreamOverflowException("test", r.deviceId(), "full");
                }
                got.add(r);
            }

            @Override
            public boolean isClosed() {
                return closed[0];
            }
        };
        FleetStreamer streamer = FleetStreamer.builder(sink).fleet(fleet(3)).build();
        assertThat(streamer.advance(2)).isEqualTo(4);
        assertThat(got).extracting(SensorReading::deviceId)
                .containsExactly("PUMP_001", "PUMP_003", "PUMP_001", "PUMP_003");
        assertThat(streamer.errors()).isEqualTo(2);
        closed[0] = true;
        FleetStreamer started = FleetStreamer.builder(sink).fleet(fleet(1)).period(Duration.ofMillis(1)).build().start();
        assertThat(started.awaitCompletion(Duration.ofSeconds(30))).isTrue();
        assertThat(started.published()).isZero();
        started.close();   // joins the thread, which the thread check of another test would otherwise see
    }

    @Test
    void start_withVirtualTime_streamsASimulatedDayInMilliseconds_thenStops() throws Exception {
        TimeSource time = TimeSource.virtual();
        List<SensorReading> got = Collections.synchronizedList(new ArrayList<>());
        Subscription s = hub.subscribe(Topic.READINGS, got::add);
        FleetStreamer streamer = FleetStreamer.builder(hub).fleet(fleet(5)).period(Duration.ofMinutes(1))
                .steps(1440).timeSource(time).build().start();
        assertThat(streamer.awaitCompletion(Duration.ofSeconds(30))).isTrue();
        assertThat(s.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(got).hasSize(1440 * 5);
        assertThat(got.get(got.size() - 1).timestamp()).isEqualTo(START.plus(Duration.ofMinutes(1439)));
        // 1440 steps, each followed by a one-minute sleep: exactly one simulated day, in milliseconds.
        assertThat(time.nanoTime()).isEqualTo(Duration.ofDays(1).toNanos());
        streamer.close();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.isAlive() && t.getName().equals("iotpm-streamer"));
    }

    @Test
    void close_stopsARealTimeStreamer() throws Exception {
        FleetStreamer streamer = FleetStreamer.builder(hub).fleet(fleet(2)).period(Duration.ofMillis(5)).build().start();
        await().atMost(Duration.ofSeconds(30)).until(() -> streamer.steps() >= 3);
        streamer.close();
        long steps = streamer.steps();
        Thread.sleep(50);   // not a wait for a condition: time in which a stopped streamer must not step
        assertThat(streamer.steps()).isEqualTo(steps).isGreaterThanOrEqualTo(3);
        assertThat(streamer.awaitCompletion(Duration.ofSeconds(30))).isTrue();
        assertThatThrownBy(streamer::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closedHub_stopsTheStreamerThread() throws Exception {
        StreamHub own = StreamHub.inMemory().build();
        FleetStreamer streamer = FleetStreamer.builder(own).fleet(fleet(1)).period(Duration.ofMillis(2)).build().start();
        own.close();
        assertThat(streamer.awaitCompletion(Duration.ofSeconds(30))).isTrue();
        // Completion is signalled just before the thread ends; joining it keeps the thread out of the check in
        // start_withVirtualTime_..., which a test run right after this one would otherwise race with.
        streamer.close();
    }

    @Test
    void builder_rejectsBadSettings() {
        assertThatThrownBy(() -> FleetStreamer.builder(hub).period(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> FleetStreamer.builder(hub).steps(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was 0");
        assertThatThrownBy(() -> FleetStreamer.builder(hub).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("fleet");
    }

    @Test
    void replay_publishesStoredHistoryInTimeOrder_pacedBySpeed() throws Exception {
        SensorSchema motor = SensorSchema.industrialMotor();
        TestStorage store = new TestStorage(motor);
        Fleet f = fleet(3);
        store.appendAll(f.history(Duration.ofHours(2)).toList());
        List<SensorReading> got = Collections.synchronizedList(new ArrayList<>());
        Subscription s = hub.subscribe(Topic.READINGS, got::add);
        TimeSource time = TimeSource.virtual();
        long n = HistoryReplay.builder(store, START, START.plus(Duration.ofHours(3))).speed(60)
                .chunk(Duration.ofMinutes(25)).timeSource(time).build().run(hub);
        assertThat(n).isEqualTo(360);
        assertThat(s.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(got).hasSize(360);
        for (int i = 1; i < got.size(); i++) {
            assertThat(got.get(i).timestamp()).isAfterOrEqualTo(got.get(i - 1).timestamp());
        }
        // 119 minutes of history between first and last reading at 60x: 119 virtual seconds.
        assertThat(time.nanoTime()).isEqualTo(Duration.ofMinutes(119).toNanos() / 60);
    }

    @Test
    void replay_ofSomeDevicesOnly_atFullSpeed() throws Exception {
        TestStorage store = new TestStorage(SensorSchema.industrialMotor());
        store.appendAll(fleet(3).history(Duration.ofMinutes(30)).toList());
        List<SensorReading> got = Collections.synchronizedList(new ArrayList<>());
        Subscription s = hub.subscribe(Topic.READINGS, got::add);
        long n = HistoryReplay.builder(store, START, START.plus(Duration.ofHours(1))).devices(List.of("PUMP_002"))
                .speed(Double.POSITIVE_INFINITY).build().run(hub);
        assertThat(s.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(n).isEqualTo(30);
        assertThat(got).extracting(SensorReading::deviceId).containsOnly("PUMP_002");
        assertThatThrownBy(() -> HistoryReplay.builder(store, START, START))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(START.toString());
        assertThatThrownBy(() -> HistoryReplay.builder(store, START, START.plusSeconds(1)).speed(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was 0");
    }
}
