package io.iotpm.test.alerts;

import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.AlertRule;
import io.iotpm.alerts.rules.AlertRuleProvider;
import io.iotpm.core.Channel;
import io.iotpm.core.SensorSchema;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The behaviour every {@link AlertRuleProvider} has: it is listed in {@code META-INF/services} and
 * has the public no-argument constructor {@link ServiceLoader} needs, a stable name, rules with
 * distinct names that an {@link AlertManager} accepts for a schema it applies to, and no rules (not
 * an error) for a schema it does not know. The examples' bearing-wear provider runs it.
 *
 * <p>A provider author adds {@code io.iotpm:iotpm-alerts-test} with test scope and writes:
 * <pre>{@code
 * class PumpRuleProviderTest extends AlertRuleProviderContract {
 *     @Override
 *     protected AlertRuleProvider createProvider() {
 *         return new PumpRuleProvider();
 *     }
 *
 *     @Override
 *     protected SensorSchema applicableSchema() {
 *         return PumpSchemas.centrifugal();
 *     }
 * }
 * }</pre>
 */
public abstract class AlertRuleProviderContract {

    /** A schema no provider under test is expected to know. */
    private static final SensorSchema UNKNOWN = SensorSchema.builder("contract_tank")
            .channel(Channel.builder("contract_level").unit("m").nominal(1).normalRange(0, 2).physicalRange(0, 10))
            .build();

    /** @return a new provider, as {@link ServiceLoader} would make it */
    protected abstract AlertRuleProvider createProvider();

    /** @return a schema the provider contributes at least one rule to */
    protected abstract SensorSchema applicableSchema();

    @Test
    void isListedInMetaInfServices_withAPublicNoArgumentConstructor() throws Exception {
        Class<? extends AlertRuleProvider> type = createProvider().getClass();
        assertThat(Modifier.isPublic(type.getModifiers())).as("%s is public", type.getName()).isTrue();
        assertThat(Modifier.isPublic(type.getConstructor().getModifiers())).isTrue();
        assertThat(ServiceLoader.load(AlertRuleProvider.class, type.getClassLoader()).stream()
                .map(ServiceLoader.Provider::type).toList()).contains(type);
    }

    @Test
    void name_isStableAndNotBlank() {
        AlertRuleProvider p = createProvider();
        assertThat(p.name()).isNotBlank().isEqualTo(p.name()).isEqualTo(createProvider().name());
    }

    @Test
    void rules_forAnApplicableSchema_haveDistinctNames_andAManagerAcceptsThem() {
        List<AlertRule> rules = createProvider().rules(applicableSchema());
        assertThat(rules).isNotEmpty().doesNotContainNull();
        assertThat(rules).extracting(AlertRule::name).doesNotHaveDuplicates();
        assertThatCode(() -> AlertManager.builder().rules(rules).tickInterval(Duration.ZERO).build().close())
                .doesNotThrowAnyException();
    }

    @Test
    void rules_calledAgain_giveRulesOfTheSameNames() {
        AlertRuleProvider p = createProvider();
        assertThat(p.rules(applicableSchema())).extracting(AlertRule::name)
                .containsExactlyElementsOf(p.rules(applicableSchema()).stream().map(AlertRule::name).toList());
    }

    @Test
    void rules_forASchemaItDoesNotKnow_areEmpty() {
        assertThat(createProvider().rules(UNKNOWN)).isEmpty();
    }
}
