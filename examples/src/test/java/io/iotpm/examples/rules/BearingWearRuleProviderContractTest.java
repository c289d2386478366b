package io.iotpm.examples.rules;

import io.iotpm.alerts.rules.AlertRuleProvider;
import io.iotpm.core.SensorSchema;
import io.iotpm.test.alerts.AlertRuleProviderContract;

/** The example rule provider passes the rule-provider contract. */
class BearingWearRuleProviderContractTest extends AlertRuleProviderContract {

    @Override
    protected AlertRuleProvider createProvider() {
        return new BearingWearRuleProvider();
    }

    @Override
    protected SensorSchema applicableSchema() {
        return SensorSchema.industrialMotor();
    }
}
