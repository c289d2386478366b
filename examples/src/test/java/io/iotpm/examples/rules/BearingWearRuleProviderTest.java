package io.iotpm.examples.rules;

import io.iotpm.alerts.Alert;
import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.AlertRule;
import io.iotpm.alerts.rules.AlertRuleProvider;
import io.iotpm.alerts.rules.AlertRules;
import io.iotpm.core.Channel;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

class BearingWearRuleProviderTest {

    static final SensorSchema MOTOR = SensorSchema.industrialMotor();
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void serviceLoader_findsTheProviderThroughMetaInfServices() {
        List<String> found = ServiceLoader.load(AlertRuleProvider.class).stream()
                .map(p -> p.type().getName()).toList();
        assertThat(found).contains(BearingWearRuleProvider.class.getName());
        assertThat(AlertRules.providerNames(getClass().getClassLoader())).contains("example-bearing-wear");
    }

    @Test
    void discovered_rulesFireInAManager_afterTenSustainedMinutes() {
        List<AlertRule> rules = AlertRules.discovered(MOTOR);
        assertThat(rules).extracting(AlertRule::name).containsExactly("example.bearing_wear");
        try (AlertManager m = AlertManager.builder().rules(rules).clock(Clock.fixed(T0, ZoneOffset.UTC))
                .tickInterval(Duration.ZERO).build()) {
            for (int minute = 0; minute <= 10; minute++) {
                assertThat(m.active()).as("minute %d", minute).isEmpty();
                m.process(reading(minute, 2.2, 76));
            }
            Alert a = m.active().get(0);
            assertThat(a.message()).isEqualTo("PUMP_001: bearing wear suspected, overall vibration 2.2 mm/s at 76 °C");
            for (int minute = 11; minute <= 21; minute++) {
                m.process(reading(minute, 1.0, 76));
            }
            assertThat(m.active()).isEmpty();
        }
    }

    @Test
    void provider_contributesNothingToASchemaWithoutVibration() {
        SensorSchema other = SensorSchema.builder("tank").channel(Channel.builder("level").normalRange(0, 1)).build();
        assertThat(AlertRules.discovered(other)).isEmpty();
    }

    static SensorReading reading(int minute, double vibration, double temperature) {
        return SensorReading.of("PUMP_001", T0.plus(Duration.ofMinutes(minute)), MOTOR, temperature, vibration,
                vibration, vibration, 2.5, 1800, 15, 220, 0.95, 45);
    }
}
