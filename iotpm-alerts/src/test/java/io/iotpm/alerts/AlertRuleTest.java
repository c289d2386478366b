package io.iotpm.alerts;

import io.iotpm.core.Channel;
import io.iotpm.core.SensorSchema;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlertRuleTest {

    @Test
    void defaults_matchTheOriginal() {
        AlertRule r = AlertRule.named("overheat").when(x -> x.value("temperature") > 85).build();
        assertThat(r.cooldown()).isEqualTo(Duration.ofMinutes(15));
        assertThat(r.priority()).isEqualTo(Priority.MEDIUM);
        assertThat(r.type()).isEqualTo(AlertType.CUSTOM);
        assertThat(r.message()).isEqualTo("{rule} on {device_id}");
        AlertRule c = AlertRule.named("hot").when(Condition.above("temperature", 85)).build();
        assertThat(c.channel()).isEqualTo("temperature");
        assertThat(c.message()).isEqualTo("{rule} on {device_id}: {channel} = {value}");
    }

    @Test
    void build_rejectsUnknownPlaceholderNamingItAndTheKnownOnes() {
        assertThatThrownBy(() -> AlertRule.named("overheat").when(x -> true).message("{device}: {temperature}").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rule 'overheat'")
                .hasMessageContaining("unknown placeholder {device}")
                .hasMessageContaining("device_id")
                .hasMessageContaining("vibration_x");
    }

    @Test
    void build_rejectsPredictionPlaceholdersInReadingRulesAndViceVersa() {
        assertThatThrownBy(() -> AlertRule.named("r").when(x -> true).message("{failure_probability}").build())
                .hasMessageContaining("unknown placeholder {failure_probability}");
        assertThatThrownBy(() -> AlertRule.named("p").whenPrediction(p -> true).message("{temperature}").build())
                .hasMessageContaining("unknown placeholder {temperature}");
        AlertRule ok = AlertRule.named("p").whenPrediction(p -> true).message("{failure_probability} {rul}").build();
        assertThat(ok.trigger()).isEqualTo("prediction");
    }

    @Test
    void build_checksChannelPlaceholdersAgainstTheGivenSchema() {
        SensorSchema turbine = SensorSchema.builder("turbine")
                .channel(Channel.builder("egt").unit("°C").normalRange(300, 600).physicalRange(0, 1200)).build();
        assertThat(AlertRule.named("egt").schema(turbine).when(x -> true).message("{egt} °C").build().message())
                .isEqualTo("{egt} °C");
        assertThatThrownBy(() -> AlertRule.named("egt").schema(turbine).when(x -> true).message("{temperature}").build())
                .hasMessageContaining("schema 'turbine'");
    }

    @Test
    void build_rejectsUnbalancedBracesButAcceptsEscapedOnes() {
        assertThatThrownBy(() -> AlertRule.named("r").when(x -> true).message("bad {device_id").build())
                .hasMessageContaining("unclosed '{' at 4");
        assertThatThrownBy(() -> AlertRule.named("r").when(x -> true).message("bad } here").build())
                .hasMessageContaining("unmatched '}' at 4");
        assertThat(AlertRule.named("r").when(x -> true).message("{{literal}} {device_id}").build().message())
                .isEqualTo("{{literal}} {device_id}");
    }

    @Test
    void build_rejectsChannelPlaceholderWithoutAChannel() {
        assertThatThrownBy(() -> AlertRule.named("r").when(x -> true).message("{channel}").build())
                .hasMessageContaining("no single channel");
        assertThat(AlertRule.named("r").when(x -> true).channel("rpm").message("{channel}={value}").build().channel())
                .isEqualTo("rpm");
    }

    @Test
    void build_needsExactlyOneTrigger_andMatchingClear() {
        assertThatThrownBy(() -> AlertRule.named("r").build()).hasMessageContaining("but has 0");
        assertThatThrownBy(() -> AlertRule.named("r").when(x -> true).whenPrediction(p -> true).build())
                .hasMessageContaining("but has 2");
        assertThatThrownBy(() -> AlertRule.named("r").whenPrediction(p -> true).clearWhen(x -> true).build())
                .hasMessageContaining("clearWhen(...) needs a reading trigger");
        assertThatThrownBy(() -> AlertRule.named("r").when(x -> true).clearWhenPrediction(p -> true).build())
                .hasMessageContaining("needs a prediction trigger");
    }

    @Test
    void builder_validatesValuesWithTheBadValueInTheMessage() {
        assertThatThrownBy(() -> AlertRule.named("../etc")).hasMessageContaining("'../etc'");
        assertThatThrownBy(() -> AlertRule.named("r").cooldown(Duration.ofSeconds(-5)))
                .hasMessageContaining("PT-5S");
        assertThatThrownBy(() -> AlertRule.named("r").when(x -> true).cooldown(Duration.ofMinutes(15))
                .renotifyEvery(Duration.ofMinutes(5)).build()).hasMessageContaining("PT5M");
        assertThatThrownBy(() -> AlertRule.named("r").noDataFor(Duration.ZERO)).hasMessageContaining("PT0S");
    }

    @Test
    void build_doesNotMutateTheBuilder_soItCanBeReused() {
        AlertRule.Builder b = AlertRule.named("r").when(Condition.above("rpm", 1900));
        AlertRule one = b.build();
        AlertRule two = b.priority(Priority.HIGH).build();
        assertThat(one.priority()).isEqualTo(Priority.MEDIUM);
        assertThat(two.priority()).isEqualTo(Priority.HIGH);
    }

    @Test
    void template_rendersNumbersCompactly() {
        assertThat(MessageTemplate.number(86.5)).isEqualTo("86.5");
        assertThat(MessageTemplate.number(1800.0)).isEqualTo("1800");
        assertThat(MessageTemplate.number(0.034999)).isEqualTo("0.03");
        assertThat(MessageTemplate.number(Double.NaN)).isEqualTo("n/a");
        assertThat(MessageTemplate.number(-0.001)).isEqualTo("0");
    }

    @Test
    void describesItsConditions_andHasAJsonView() {
        AlertRule r = AlertRule.named("hot").when(Condition.above("temperature", 85).sustainedFor(Duration.ofMinutes(5)))
                .clearWhen(Condition.below("temperature", 80)).escalateAfter(Duration.ofMinutes(30)).build();
        assertThat(r.condition()).isEqualTo("(temperature > 85.0) for PT5M");
        assertThat(r.clearCondition()).isEqualTo("temperature < 80.0");
        java.util.Map<String, Object> json = io.iotpm.alerts.notify.AlertJson.toMap(r);
        assertThat(json).containsEntry("name", "hot").containsEntry("trigger", "reading")
                .containsEntry("cooldown_seconds", 900L).containsEntry("escalate_after_seconds", 1800L)
                .containsEntry("channel", "temperature");
        assertThat(AlertRule.named("q").noDataFor(Duration.ofMinutes(5)).build().clearCondition()).isEqualTo("data again");
    }

    @Test
    void priority_isOrderedAndParses() {
        assertThat(Priority.LOW).isLessThan(Priority.MEDIUM);
        assertThat(Priority.HIGH).isLessThan(Priority.CRITICAL);
        assertThat(Priority.HIGH.raised()).isEqualTo(Priority.CRITICAL);
        assertThat(Priority.CRITICAL.raised()).isEqualTo(Priority.CRITICAL);
        assertThat(Priority.parse("high")).isEqualTo(Priority.HIGH);
        assertThatThrownBy(() -> Priority.parse("urgent")).hasMessageContaining("'urgent'");
    }
}
