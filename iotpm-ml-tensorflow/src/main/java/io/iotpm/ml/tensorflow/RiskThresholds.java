package io.iotpm.ml.tensorflow;

import io.iotpm.core.RiskLevel;

/**
 * Turns a failure probability into a {@link RiskLevel} and a maintenance decision: the level is the
 * highest whose threshold the probability reaches, and maintenance is needed from {@code decision} on.
 *
 * @param medium   probability from which the risk is {@link RiskLevel#MEDIUM}
 * @param high     probability from which the risk is {@link RiskLevel#HIGH}
 * @param critical probability from which the risk is {@link RiskLevel#CRITICAL}
 * @param decision probability from which maintenance is needed
 */
public record RiskThresholds(double medium, double high, double critical, double decision) {

    /** Defaults when a model's {@code model.json} gives none: 0.3, 0.6, 0.8 and a decision at 0.5. */
    public static final RiskThresholds DEFAULT = new RiskThresholds(0.3, 0.6, 0.8, 0.5);

    /** @throws IllegalArgumentException unless {@code 0 <= medium <= high <= critical <= 1} and decision in [0, 1] */
    public RiskThresholds {
        check("medium", medium);
        check("high", high);
        check("critical", critical);
        check("decision", decision);
        if (!(medium <= high && high <= critical)) {
            throw new IllegalArgumentException("thresholds must satisfy medium <= high <= critical, but were "
                    + medium + ", " + high + ", " + critical);
        }
    }

    private static void check(String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " threshold must be in [0, 1], but was " + v);
        }
    }

    /**
     * @param probability failure probability in [0, 1]
     * @return its risk level
     */
    public RiskLevel riskOf(double probability) {
        if (probability >= critical) {
            return RiskLevel.CRITICAL;
        }
        if (probability >= high) {
            return RiskLevel.HIGH;
        }
        if (probability >= medium) {
            return RiskLevel.MEDIUM;
        }
        return RiskLevel.LOW;
    }

    /**
     * @param probability failure probability in [0, 1]
     * @return whether maintenance is needed
     */
    public boolean maintenanceNeeded(double probability) {
        return probability >= decision;
    }
}
