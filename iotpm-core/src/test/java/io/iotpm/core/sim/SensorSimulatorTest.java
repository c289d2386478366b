package io.iotpm.core.sim;

import io.iotpm.core.Channel;
import io.iotpm.core.DeviceEvent;
import io.iotpm.core.FailureEvent;
import io.iotpm.core.HealthStatus;
import io.iotpm.core.MaintenanceEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SensorSimulatorTest {

    static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

    private static SensorSimulator.Builder base() {
        return SensorSimulator.builder().deviceId("PUMP_001").seed(42).start(START);
    }

    @Test
    void sameSeedGivesIdenticalReadingsAndEvents() {
        SensorSimulator a = base().failureProbability(0.5).build();
        SensorSimulator b = base().failureProbability(0.5).build();
        assertThat(a.history(Duration.ofDays(3)).toList()).isEqualTo(b.history(Duration.ofDays(3)).toList());
        assertThat(a.events()).isNotEmpty().isEqualTo(b.events());
        SensorSimulator c = base().failureProbability(0.5).seed(43).build();
        assertThat(c.next()).isNotEqualTo(base().failureProbability(0.5).build().next());
    }

    @Test
    void historyCoversTheDurationAtTheInterval() {
        List<SensorReading> day = base().build().history(Duration.ofDays(1)).toList();
        assertThat(day).hasSize(1440);
        assertThat(day.get(0).timestamp()).isEqualTo(START);
        assertThat(day.get(1439).timestamp()).isEqualTo(START.plus(Duration.ofMinutes(1439)));
        SensorSimulator fast = base().interval(Duration.ofSeconds(10)).build();
        assertThat(fast.history(Duration.ofMinutes(1)).count()).isEqualTo(6);
        assertThat(fast.cursor()).isEqualTo(START.plusSeconds(60));
    }

    @Test
    void defaultStartComesFromTheInjectedClock() {
        Clock clock = Clock.fixed(Instant.parse("2030-05-05T05:05:05.789Z"), ZoneOffset.UTC);
        assertThat(SensorSimulator.builder().clock(clock).build().next().timestamp())
                .isEqualTo(Instant.parse("2030-05-05T05:05:05Z"));
    }

    @Test
    void healthyDeviceStaysWithinEachChannelsNormalRangeOnAverage() {
        SensorSimulator sim = base().failureProbability(0).build();
        List<SensorReading> week = sim.history(Duration.ofDays(7)).toList();
        SensorSchema s = SensorSchema.industrialMotor();
        for (int c = 0; c < s.size(); c++) {
            Channel ch = s.channel(c);
            final int i = c;
            double mean = week.stream().mapToDouble(r -> r.value(i)).average().orElseThrow();
            long inRange = week.stream().filter(r -> ch.isNormal(r.value(i))).count();
            assertThat(mean).as("mean of %s", ch.name()).isBetween(ch.normalMin(), ch.normalMax());
            assertThat(Math.abs(mean - ch.nominal())).as("mean of %s near nominal", ch.name())
                    .isLessThan((ch.normalMax() - ch.normalMin()) / 4);
            assertThat(inRange).as("readings of %s in normal range", ch.name()).isGreaterThan(week.size() * 95L / 100);
        }
        assertThat(sim.events()).isEmpty();
        assertThat(week).allMatch(r -> r.status() == HealthStatus.NORMAL);
    }

    @Test
    void channelsAreCorrelatedThroughTheLoadCycle() {
        List<SensorReading> week = base().failureProbability(0).build().history(Duration.ofDays(7)).toList();
        double[] current = week.stream().mapToDouble(r -> r.value("current")).toArray();
        double[] temperature = week.stream().mapToDouble(r -> r.value("temperature")).toArray();
        double[] powerFactor = week.stream().mapToDouble(r -> r.value("power_factor")).toArray();
        assertThat(correlation(current, temperature)).isGreaterThan(0.5);
        assertThat(correlation(current, powerFactor)).isGreaterThan(0.3);
    }

    /** Window before the first failure: baseline = hour 1 of the fault, late = last 2 hours. */
    private record Signature(double early, double late) {
        double ratio() {
            return late / early;
        }
    }

    private static Signature signature(FailureMode mode, String channel) {
        SensorSimulator sim = base().failureMode(mode).failureProbability(1)
                .leadTime(Duration.ofHours(12), Duration.ofHours(12)).build();
        List<SensorReading> r = sim.history(Duration.ofHours(13)).toList();
        FailureEvent failure = (FailureEvent) sim.events().get(0);
        assertThat(failure.mode()).isEqualTo(mode.id());
        int failAt = (int) Duration.between(START, failure.timestamp()).toMinutes();
        assertThat(failAt).isBetween(12 * 60, 12 * 60 + 2);
        double early = r.subList(0, 60).stream().mapToDouble(x -> x.value(channel)).average().orElseThrow();
        double late = r.subList(failAt - 120, failAt).stream().mapToDouble(x -> x.value(channel)).average().orElseThrow();
        return new Signature(early, late);
    }

    @Test
    void bearingWearRaisesVibrationAtLeastTwofoldAndNoiseBeforeFailure() {
        assertThat(signature(FailureMode.BEARING_WEAR, "vibration_x").ratio()).isGreaterThan(2);
        assertThat(signature(FailureMode.BEARING_WEAR, "vibration_z").ratio()).isGreaterThan(2);
        Signature noise = signature(FailureMode.BEARING_WEAR, "noise");
        assertThat(noise.late() - noise.early()).isGreaterThan(8);
    }

    @Test
    void overheatingRaisesTemperatureBeforeFailure() {
        Signature t = signature(FailureMode.OVERHEATING, "temperature");
        assertThat(t.late() - t.early()).isGreaterThan(15);
    }

    @Test
    void electricalFaultRaisesCurrentAndDropsVoltageAndPowerFactor() {
        assertThat(signature(FailureMode.ELECTRICAL_FAULT, "current").ratio()).isGreaterThan(1.2);
        Signature v = signature(FailureMode.ELECTRICAL_FAULT, "voltage");
        assertThat(v.early() - v.late()).isGreaterThan(8);
        Signature pf = signature(FailureMode.ELECTRICAL_FAULT, "power_factor");
        assertThat(pf.early() - pf.late()).isGreaterThan(0.1);
    }

    @Test
    void sealLeakDropsPressureBeforeFailure() {
        assertThat(signature(FailureMode.SEAL_LEAK, "pressure").ratio()).isLessThan(0.75);
    }

    @Test
    void imbalanceRaisesXAndYVibrationButNotZ() {
        assertThat(signature(FailureMode.IMBALANCE, "vibration_x").ratio()).isGreaterThan(2.5);
        assertThat(signature(FailureMode.IMBALANCE, "vibration_y").ratio()).isGreaterThan(1.5);
        assertThat(signature(FailureMode.IMBALANCE, "vibration_z").ratio()).isLessThan(1.3);
    }

    @ParameterizedTest
    @EnumSource(value = FailureMode.class, names = "DEGRADATION", mode = EnumSource.Mode.EXCLUDE)
    void healthDropsBeforeFailureThenTheDeviceIsRepairedAndRestartsHealthy(FailureMode mode) {
        SensorSimulator sim = base().failureMode(mode).failureProbability(1)
                .leadTime(Duration.ofHours(10), Duration.ofHours(10)).repairTime(Duration.ofHours(2)).build();
        List<SensorReading> r = sim.history(Duration.ofHours(12).plusMinutes(5)).toList();
        List<DeviceEvent> events = sim.events();
        assertThat(events).hasSizeGreaterThanOrEqualTo(2);
        assertThat(events.get(0)).isInstanceOf(FailureEvent.class);
        assertThat(events.get(1)).isInstanceOf(MaintenanceEvent.class);
        assertThat(Duration.between(events.get(0).timestamp(), events.get(1).timestamp())).isEqualTo(Duration.ofHours(2));
        int failAt = (int) Duration.between(START, events.get(0).timestamp()).toMinutes();
        int repairedAt = (int) Duration.between(START, events.get(1).timestamp()).toMinutes();
        assertThat(r.get(30).healthScore()).isGreaterThan(90);
        assertThat(r.get(failAt - 30).healthScore()).isLessThan(40);
        assertThat(r.get(failAt - 30).status()).isEqualTo(HealthStatus.CRITICAL);
        assertThat(r.get(failAt).status()).isEqualTo(HealthStatus.FAILED);
        assertThat(r.get(failAt + 60).value("rpm")).isLessThan(10);
        assertThat(r.get(repairedAt).healthScore()).isGreaterThan(90);
        assertThat(r.get(repairedAt).value("rpm")).isGreaterThan(1700);
    }

    @Test
    void customSchemasGetGenericDriftAndDegradationFailures() {
        SensorSchema s = SensorSchema.builder("turbine")
                .channel(Channel.builder("t24").nominal(642).normalRange(641, 644).physicalRange(500, 800))
                .channel(Channel.builder("p30").nominal(1590).normalRange(1580, 1600).physicalRange(0, 3000))
                .build();
        SensorSimulator sim = base().schema(s).failureProbability(0.5).build();
        List<SensorReading> r = sim.history(Duration.ofDays(5)).toList();
        assertThat(r).hasSize(5 * 1440);
        assertThat(sim.events()).filteredOn(e -> e instanceof FailureEvent)
                .isNotEmpty().allMatch(e -> e.detail().equals("degradation"));
        assertThatThrownBy(() -> base().schema(s).failureMode(FailureMode.BEARING_WEAR).build())
                .hasMessageContaining("does not apply");
    }

    @Test
    void builderRejectsInvalidSettingsWithTheValue() {
        assertThatThrownBy(() -> SensorSimulator.builder().failureProbability(1.5)).hasMessageContaining("1.5");
        assertThatThrownBy(() -> SensorSimulator.builder().interval(Duration.ZERO)).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> SensorSimulator.builder().deviceId("../x")).hasMessageContaining("device id");
        assertThatThrownBy(() -> SensorSimulator.builder().leadTime(Duration.ofHours(5), Duration.ofHours(1)))
                .hasMessageContaining("min <= max");
        assertThatThrownBy(() -> base().build().history(Duration.ZERO)).hasMessageContaining("duration must be > 0");
    }

    @Test
    void fleetDeviceIds_useAsciiDigitsWhateverTheDefaultLocale() {
        java.util.Locale host = java.util.Locale.getDefault();
        // Arabic formats %d with Arabic-Indic digits, which device ids refuse: the fleet could not even be built.
        java.util.Locale.setDefault(java.util.Locale.forLanguageTag("ar-SA"));
        try {
            assertThat(Fleet.builder().devices(2).idPrefix("PUMP_").seed(9).start(START).build().deviceIds())
                    .containsExactly("PUMP_001", "PUMP_002");
        } finally {
            java.util.Locale.setDefault(host);
        }
    }

    @Test
    void fleetDevicesAreIndependentOfFleetSize() {
        Fleet small = Fleet.builder().devices(2).idPrefix("PUMP_").seed(9).start(START).build();
        Fleet large = Fleet.builder().devices(5).idPrefix("PUMP_").seed(9).start(START).build();
        assertThat(large.deviceIds()).containsExactly("PUMP_001", "PUMP_002", "PUMP_003", "PUMP_004", "PUMP_005");
        List<SensorReading> a = small.history(Duration.ofHours(6)).filter(r -> r.deviceId().equals("PUMP_002")).toList();
        List<SensorReading> b = large.history(Duration.ofHours(6)).filter(r -> r.deviceId().equals("PUMP_002")).toList();
        assertThat(a).hasSize(360).isEqualTo(b);
        assertThat(small.next()).extracting(SensorReading::deviceId).containsExactly("PUMP_001", "PUMP_002");
    }

    @Test
    void fleetHistoryIsTimeMajorAndCollectsEveryDevicesEvents() {
        Fleet fleet = Fleet.builder().devices(3).failureProbability(1).leadTime(Duration.ofHours(6), Duration.ofHours(6))
                .start(START).build();
        List<SensorReading> r = fleet.history(Duration.ofHours(7)).toList();
        assertThat(r.get(0).timestamp()).isEqualTo(r.get(2).timestamp());
        assertThat(r.get(3).timestamp()).isEqualTo(START.plusSeconds(60));
        assertThat(fleet.events()).filteredOn(e -> e instanceof FailureEvent).hasSize(3);
    }

    private static double correlation(double[] x, double[] y) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= x.length;
        my /= y.length;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }
}
