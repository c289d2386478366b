package io.iotpm.alerts;

import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;

import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Properties of rule message templates, which come from users and configuration files. */
class MessageTemplatePropertiesTest {

    static final SensorSchema MOTOR = SensorSchema.industrialMotor();
    static final Set<String> KNOWN = Set.of("device_id", "rule", "type", "priority", "value", "count", "timestamp",
            "channel", "health_score", "temperature", "vibration_x", "vibration_y", "vibration_z", "pressure", "rpm",
            "current", "voltage", "power_factor", "noise");

    static String render(String template) {
        AlertRule rule = AlertRule.named("r").when(Condition.above("temperature", 85)).message(template).build();
        SensorReading r = SensorReading.of("PUMP_001", Instant.parse("2026-01-01T00:00:00Z"), MOTOR, 90, 0.5, 0.4,
                0.3, 2.5, 1800, 15, 220, 0.95, 45);
        return rule.template().render(new MessageTemplate.Context("PUMP_001", "r", AlertType.CUSTOM, Priority.LOW,
                "temperature", 90, 1, r.timestamp(), r, null));
    }

    @Property(tries = 200)
    void textWithoutBraces_rendersToItself(@ForAll("plainText") String text) {
        assertThat(render(text)).isEqualTo(text);
    }

    @Property(tries = 200)
    void escapedBraces_renderAsSingleBraces(@ForAll("plainText") String a, @ForAll("plainText") String b) {
        assertThat(render(a + "{{" + b + "}}")).isEqualTo(a + "{" + b + "}");
    }

    @Property(tries = 200)
    void unknownPlaceholder_alwaysFailsAtBuild_namingIt(@ForAll @AlphaChars @StringLength(min = 1, max = 20) String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        if (KNOWN.contains(n)) {
            assertThat(render("{" + n + "}")).isNotEmpty();
        } else {
            assertThatThrownBy(() -> render("x {" + n + "} y"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unknown placeholder {" + n + "}");
        }
    }

    @Property(tries = 200)
    void anyString_eitherBuildsOrFailsWithIllegalArgument(@ForAll @StringLength(max = 40) String template) {
        try {
            assertThat(render(template)).isNotNull();
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith("rule 'r': ");
        }
    }

    @Provide
    Arbitrary<String> plainText() {
        return Arbitraries.strings().ofMaxLength(60).filter(s -> s.indexOf('{') < 0 && s.indexOf('}') < 0);
    }
}
