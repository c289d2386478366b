package io.iotpm.core.drift;

import io.iotpm.core.Channel;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.Fleet;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DriftMonitorTest {

    static final SensorSchema TWO = SensorSchema.builder("two")
            .channel(Channel.builder("a").unit("u").normalRange(-10, 10).physicalRange(-1e6, 1e6))
            .channel(Channel.builder("b").unit("u").normalRange(-10, 10).physicalRange(-1e6, 1e6).allowMissing())
            .build();
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    private static SensorReading reading(String device, int i, double a, double b) {
        return SensorReading.of(device, T0.plusSeconds(i), TWO, a, b);
    }

    private static List<SensorReading> gaussian(int n, long seed) {
        Random rnd = new Random(seed);
        List<SensorReading> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(reading("D1", i, rnd.nextGaussian(), rnd.nextGaussian()));
        }
        return out;
    }

    /** PSI of the values straight from the definition, with the monitor's smoothing. */
    private static double batchPsi(DriftReference ref, int channel, Iterable<Double> values) {
        double[] edges = ref.edges(channel);
        double[] e = GroupWindow.smoothed(ref.proportions(channel));
        double[] counts = new double[e.length];
        int n = 0;
        for (double v : values) {
            int b = 0;
            while (b < edges.length && v >= edges[b]) {
                b++;
            }
            counts[b]++;
            n++;
        }
        double psi = 0;
        for (int b = 0; b < e.length; b++) {
            double a = (counts[b] + GroupWindow.ALPHA) / (n + e.length * GroupWindow.ALPHA);
            psi += (a - e[b]) * Math.log(a / e[b]);
        }
        return psi;
    }

    @Test
    void reference_cutsBinsAtTrainingQuantiles() {
        DriftReference ref = DriftReference.fromReadings(TWO, gaussian(10_000, 1));
        assertThat(ref.channels()).containsExactly("a", "b");
        assertThat(ref.samples()).isEqualTo(10_000);
        assertThat(ref.edges(0)).hasSize(9);
        assertThat(ref.edges(0)[4]).isCloseTo(0.0, within(0.05));   // the median of N(0, 1)
        for (double p : ref.proportions(0)) {
            assertThat(p).isCloseTo(0.1, within(1e-3));
        }
    }

    @Test
    void reference_mergesBinsOfRepeatedValues() {
        List<SensorReading> rs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            rs.add(reading("D1", i, i % 3, i));
        }
        DriftReference ref = DriftReference.fromReadings(TWO, rs);
        assertThat(ref.edges(0)).containsExactly(1.0, 2.0);
        assertThat(ref.proportions(0)).containsExactly(1 / 3.0, 1 / 3.0, 1 / 3.0);
        assertThat(ref.bin(0, -5)).isZero();
        assertThat(ref.bin(0, 1)).isEqualTo(1);
        assertThat(ref.bin(0, 1.5)).isEqualTo(1);
        assertThat(ref.bin(0, 7)).isEqualTo(2);
    }

    @Test
    void incrementalPsi_matchesBatchComputationAtEveryStepWhileTheWindowSlides() {
        DriftReference ref = DriftReference.fromReadings(TWO, gaussian(5_000, 2));
        DriftMonitor monitor = DriftMonitor.builder(ref).window(50).minReadings(1).build();
        Random rnd = new Random(3);
        Deque<Double> windowA = new ArrayDeque<>();
        Deque<Double> windowB = new ArrayDeque<>();
        for (int i = 0; i < 400; i++) {
            // Channel a moves away from the reference after 100 readings; b keeps it, with a missing value now and then.
            double a = rnd.nextGaussian() + (i < 100 ? 0 : 1.5);
            double b = i % 7 == 0 ? Double.NaN : rnd.nextGaussian();
            monitor.onReading(reading("D" + (i % 3), i, a, b));
            windowA.addLast(a);
            windowB.addLast(b);
            if (windowA.size() > 50) {
                windowA.removeFirst();
                windowB.removeFirst();
            }
            List<Double> presentB = windowB.stream().filter(v -> !v.isNaN()).toList();
            List<DriftSnapshot> s = monitor.snapshots(DriftMonitor.FLEET);
            assertThat(s.get(0).psi()).as("psi of a after %d readings", i + 1)
                    .isCloseTo(batchPsi(ref, 0, windowA), within(1e-9));
            assertThat(s.get(0).count()).isEqualTo(windowA.size());
            assertThat(s.get(1).psi()).as("psi of b after %d readings", i + 1)
                    .isCloseTo(batchPsi(ref, 1, presentB), within(1e-9));
            assertThat(s.get(1).count()).isEqualTo(presentB.size());
        }
        assertThat(monitor.snapshots(DriftMonitor.FLEET).get(0).level()).isEqualTo(DriftLevel.MAJOR);
    }

    @Test
    void window_forgetsAShiftOnceItHasSlidPastIt() {
        DriftReference ref = DriftReference.fromReadings(TWO, gaussian(5_000, 4));
        DriftMonitor monitor = DriftMonitor.builder(ref).window(500).build();
        Random rnd = new Random(5);
        for (int i = 0; i < 500; i++) {
            monitor.onReading(reading("D1", i, rnd.nextGaussian() + 2, rnd.nextGaussian()));
        }
        assertThat(monitor.drifting("D1", "a")).isTrue();
        assertThat(monitor.drifting("D1", "b")).isFalse();
        assertThat(monitor.worst("D1")).get().extracting(DriftSnapshot::channel).isEqualTo("a");
        for (int i = 0; i < 500; i++) {
            monitor.onReading(reading("D1", 500 + i, rnd.nextGaussian(), rnd.nextGaussian()));
        }
        DriftSnapshot a = monitor.snapshots(DriftMonitor.FLEET).get(0);
        assertThat(a.count()).isEqualTo(500);
        assertThat(a.psi()).isLessThan(DriftLevel.MODERATE_PSI);
        assertThat(a.level()).isEqualTo(DriftLevel.NONE);
        assertThat(monitor.drifting("D1", "a")).isFalse();
        assertThat(monitor.worst("D1")).isEmpty();
    }

    @Test
    void rebase_comparesWithTheNewReferenceFromEmptyWindows() {
        DriftMonitor monitor = DriftMonitor.builder(DriftReference.fromReadings(TWO, gaussian(5_000, 4))).window(500)
                .build();
        Random rnd = new Random(6);
        List<SensorReading> shifted = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            shifted.add(reading("D1", i, rnd.nextGaussian() + 2, rnd.nextGaussian()));
        }
        shifted.subList(0, 500).forEach(monitor::onReading);
        assertThat(monitor.drifting("D1", "a")).isTrue();

        DriftReference retrained = DriftReference.fromReadings(TWO, shifted.subList(500, 5_000));
        monitor.rebase(retrained);
        assertThat(monitor.reference()).isSameAs(retrained);
        assertThat(monitor.groups()).isEmpty();
        assertThat(monitor.drifting("D1", "a")).isFalse();
        assertThat(monitor.readings()).isEqualTo(500);

        shifted.subList(0, 500).forEach(monitor::onReading);
        DriftSnapshot a = monitor.snapshots(DriftMonitor.FLEET).get(0);
        assertThat(a.count()).isEqualTo(500);
        assertThat(a.psi()).isLessThan(DriftLevel.MODERATE_PSI);
        assertThat(monitor.drifting("D1", "a")).isFalse();
    }

    @Test
    void rebase_whileReadingsArrive_leavesOnlyWindowsOfTheNewReference() throws Exception {
        DriftReference first = DriftReference.fromReadings(TWO, gaussian(2_000, 7));
        DriftReference second = DriftReference.fromReadings(TWO, gaussian(2_000, 8));
        DriftMonitor monitor = DriftMonitor.builder(first).window(100).build();
        List<SensorReading> feed = gaussian(20_000, 9);
        Thread feeder = new Thread(() -> feed.forEach(monitor::onReading));
        feeder.start();
        for (int i = 0; i < 50; i++) {
            monitor.rebase(i % 2 == 0 ? second : first);
        }
        monitor.rebase(second);
        feeder.join();
        assertThat(monitor.readings()).isEqualTo(20_000);
        assertThat(monitor.reference()).isSameAs(second);
        assertThat(monitor.snapshots()).allSatisfy(s -> assertThat(s.count()).isBetween(0, 100));
        assertThatThrownBy(() -> monitor.rebase(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("reference");
    }

    @Test
    void fewReadings_areNotReadyAndNeverDrift() {
        DriftReference ref = DriftReference.fromReadings(TWO, gaussian(1_000, 6));
        DriftMonitor monitor = DriftMonitor.builder(ref).window(100).minReadings(50).build();
        for (int i = 0; i < 49; i++) {
            monitor.onReading(reading("D1", i, 100, 100));
        }
        DriftSnapshot s = monitor.snapshots().get(0);
        assertThat(s.psi()).isGreaterThan(1);
        assertThat(s.ready()).isFalse();
        assertThat(s.drifting()).isFalse();
        assertThat(s.level()).isEqualTo(DriftLevel.NONE);
        monitor.onReading(reading("D1", 49, 100, 100));
        assertThat(monitor.snapshots().get(0).drifting()).isTrue();
    }

    @Test
    void simulatedFleet_oneShiftedChannelPassesTheThresholdAndTheOthersStayBelow() {
        Fleet fleet = Fleet.builder().devices(5).seed(11).failureProbability(0).start(T0)
                .interval(Duration.ofMinutes(5)).build();
        SensorSchema schema = fleet.simulators().get(0).schema();
        DriftReference ref = DriftReference.fromReadings(schema, fleet.history(Duration.ofDays(7)).toList());
        // Two days of the fleet (5 devices, every 5 minutes) fill the window, so daily cycles average out.
        DriftMonitor monitor = DriftMonitor.builder(ref).window(2_880).build();
        int temperature = schema.requireIndex("temperature");
        for (int step = 0; step < 3 * 288; step++) {
            for (SensorReading r : fleet.next()) {
                double[] v = r.values();
                v[temperature] += 6;   // a miscalibrated sensor, or a hotter season than the training data
                monitor.onReading(SensorReading.of(r.deviceId(), r.timestamp(), schema, v));
            }
        }
        List<DriftSnapshot> snapshots = monitor.snapshots();
        assertThat(snapshots).hasSize(schema.size()).allSatisfy(s -> {
            assertThat(s.group()).isEqualTo(DriftMonitor.FLEET);
            assertThat(s.count()).isEqualTo(2_880);
        });
        assertThat(snapshots).filteredOn(DriftSnapshot::drifting).extracting(DriftSnapshot::channel)
                .containsExactly("temperature");
        assertThat(snapshots.get(temperature).psi()).isGreaterThan(DriftLevel.MAJOR_PSI);
        assertThat(snapshots).filteredOn(s -> !s.channel().equals("temperature"))
                .allSatisfy(s -> assertThat(s.psi()).as(s.channel()).isLessThan(DriftMonitor.DEFAULT_THRESHOLD));
    }

    @Test
    void groups_areKeptApartAndCapped() {
        DriftReference ref = DriftReference.fromReadings(TWO, gaussian(1_000, 7));
        DriftMonitor monitor = DriftMonitor.builder(ref).window(200).maxGroups(2)
                .groupBy(id -> id.substring(0, id.indexOf('_'))).build();
        Random rnd = new Random(8);
        for (int i = 0; i < 400; i++) {
            monitor.onReading(reading("north_" + i, i, rnd.nextGaussian() + 5, rnd.nextGaussian()));
            monitor.onReading(reading("south_" + i, i, rnd.nextGaussian(), rnd.nextGaussian()));
            monitor.onReading(reading("east_" + i, i, rnd.nextGaussian(), rnd.nextGaussian()));
        }
        assertThat(monitor.groups()).containsExactly("north", "south");
        assertThat(monitor.droppedReadings()).isEqualTo(400);
        assertThat(monitor.readings()).isEqualTo(800);
        assertThat(monitor.drifting("north_999", "a")).isTrue();
        assertThat(monitor.drifting("south_1", "a")).isFalse();
        assertThat(monitor.drifting("east_1", "a")).isFalse();
        assertThat(monitor.snapshots("east")).isEmpty();
        assertThat(monitor.snapshots()).extracting(DriftSnapshot::group)
                .containsExactly("north", "north", "south", "south");
    }

    @Test
    void reference_survivesJsonAndAFolder(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        DriftReference ref = DriftReference.fromReadings(TWO, gaussian(1_000, 9));
        ref.write(dir.resolve("model"));
        DriftReference again = DriftReference.read(dir.resolve("model"));
        assertThat(again.channels()).isEqualTo(ref.channels());
        assertThat(again.samples()).isEqualTo(1_000);
        for (int c = 0; c < 2; c++) {
            assertThat(again.edges(c)).containsExactly(ref.edges(c));
            assertThat(again.proportions(c)).containsExactly(ref.proportions(c));
        }
        assertThatThrownBy(() -> DriftReference.fromJson("{"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("drift reference is not valid JSON");
        assertThatThrownBy(() -> DriftReference.fromJson("{\"format\":2,\"channels\":[]}"))
                .hasMessage("drift reference format 2 is not supported (this library reads format 1)");
        assertThatThrownBy(() -> DriftReference.fromJson(
                "{\"format\":1,\"channels\":[{\"name\":\"a\",\"edges\":[1,0],\"proportions\":[0.5,0.5,0]}]}"))
                .hasMessage("drift reference channel 'a' edges are not strictly ascending: [1.0, 0.0]");
        assertThatThrownBy(() -> DriftReference.fromJson(
                "{\"format\":1,\"channels\":[{\"name\":\"a\",\"edges\":[0],\"proportions\":[0.5,0.4]}]}"))
                .hasMessageStartingWith("drift reference channel 'a' proportions sum to 0.9");
        assertThatThrownBy(() -> DriftReference.read(dir.resolve("none")))
                .isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("drift-reference.json");
    }

    @Test
    void builder_rejectsBadValuesNamingThem() {
        DriftReference ref = DriftReference.fromReadings(TWO, gaussian(100, 10));
        assertThatThrownBy(() -> DriftMonitor.builder(ref).window(5)).hasMessage("window must be in [10, 1000000], but was 5");
        assertThatThrownBy(() -> DriftMonitor.builder(ref).threshold(Double.NaN))
                .hasMessage("threshold must be a finite number > 0, but was NaN");
        assertThatThrownBy(() -> DriftMonitor.builder(ref).maxGroups(0)).hasMessage("maxGroups must be >= 1, but was 0");
        assertThatThrownBy(() -> DriftMonitor.builder(ref).window(10).minReadings(11).build())
                .hasMessage("minReadings must be <= window (10), but was 11");
        assertThatThrownBy(() -> DriftReference.fromReadings(TWO, gaussian(10, 1), 1))
                .hasMessage("bins must be in [2, 100], but was 1");
        assertThatThrownBy(() -> DriftMonitor.builder(ref).build().drifting("D1", "c"))
                .hasMessage("unknown channel 'c'; the drift reference has [a, b]");
    }
}
