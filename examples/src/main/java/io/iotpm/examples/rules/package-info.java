/**
 * Example alert-rule plug-in: a jar contributes rules through
 * {@link io.iotpm.alerts.rules.AlertRuleProvider}, listed in
 * {@code META-INF/services/io.iotpm.alerts.rules.AlertRuleProvider}, and
 * {@code AlertRules.discovered(schema)} finds them on the class path.
 */
package io.iotpm.examples.rules;
