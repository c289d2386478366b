package io.iotpm.alerts.rules;

import io.iotpm.alerts.AlertRule;
import io.iotpm.core.SensorSchema;

import java.util.List;

/**
 * Contributes alert rules from a jar on the class path, found by {@link java.util.ServiceLoader}
 * (list the implementation in {@code META-INF/services/io.iotpm.alerts.rules.AlertRuleProvider}).
 * Collected by {@link AlertRules#discovered(SensorSchema)}. Implementations need a public no-argument
 * constructor and must not do work when constructed.
 */
public interface AlertRuleProvider {

    /** @return a unique provider name, used for ordering and in error messages */
    String name();

    /**
     * @param schema the schema the rules will see
     * @return the rules for that schema; empty when the provider does not apply to it
     */
    List<AlertRule> rules(SensorSchema schema);
}
