package io.iotpm.ml.tensorflow;

import io.iotpm.core.RiskLevel;
import io.iotpm.ml.RiskScale;

import java.util.Objects;

/**
 * Turns a failure probability into a {@link RiskLevel} and a maintenance decision, ordered with each
 * other: maintenance is needed from {@code decision} on, and the level that triggers maintenance
 * ({@code maintenanceLevel}, HIGH unless the sidecar says otherwise) starts there. The thresholds of
 * lower levels are capped at the decision, those of higher levels raised to it (see
 * {@link RiskScale#around}), so a {@code model.json} whose numbers disagree (an older export with
 * {@code high 0.6} and {@code decision 0.42}) still never gives {@code critical} without maintenance.
 *
 * @param medium           probability from which the risk is {@link RiskLevel#MEDIUM}
 * @param high             probability from which the risk is {@link RiskLevel#HIGH}
 * @param critical         probability from which the risk is {@link RiskLevel#CRITICAL}
 * @param decision         probability from which maintenance is needed
 * @param maintenanceLevel the lowest level at which maintenance is needed
 */
public record RiskThresholds(double medium, double high, double critical, double decision, RiskLevel maintenanceLevel) {

    /** Defaults when a model's {@code model.json} gives none: 0.3, 0.5, 0.8, a decision at 0.5, maintenance from HIGH. */
    public static final RiskThresholds DEFAULT = new RiskThresholds(0.3, 0.5, 0.8, 0.5);

    /**
     * @throws IllegalArgumentException unless {@code 0 <= medium <= high <= critical <= 1}, decision in [0, 1]
     *                                  and the maintenance level is MEDIUM, HIGH or CRITICAL
     */
    public RiskThresholds {
        check("medium", medium);
        check("high", high);
        check("critical", critical);
        check("decision", decision);
        Objects.requireNonNull(maintenanceLevel, "maintenanceLevel");
        if (!(medium <= high && high <= critical)) {
            throw new IllegalArgumentException("thresholds must satisfy medium <= high <= critical, but were "
                    + medium + ", " + high + ", " + critical);
        }
        new RiskScale(medium, high, critical, maintenanceLevel);
    }

    /**
     * Thresholds whose maintenance level is HIGH.
     *
     * @param medium   MEDIUM from here
     * @param high     HIGH from here
     * @param critical CRITICAL from here
     * @param decision maintenance needed from here
     */
    public RiskThresholds(double medium, double high, double critical, double decision) {
        this(medium, high, critical, decision, RiskScale.DEFAULT_MAINTENANCE_LEVEL);
    }

    private static void check(String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " threshold must be in [0, 1], but was " + v);
        }
    }

    /**
     * @param decisionProbability the probability from which maintenance is needed
     * @return the scale in force: these thresholds with the maintenance level starting at it
     */
    public RiskScale scale(double decisionProbability) {
        return new RiskScale(medium, high, critical, maintenanceLevel).around(decisionProbability);
    }

    /**
     * @param probability failure probability in [0, 1]
     * @return its risk level, at or above the maintenance level exactly when {@link #maintenanceNeeded} is
     */
    public RiskLevel riskOf(double probability) {
        return scale(decision).level(probability, maintenanceNeeded(probability));
    }

    /**
     * @param probability failure probability in [0, 1]
     * @return whether maintenance is needed
     */
    public boolean maintenanceNeeded(double probability) {
        return probability >= decision;
    }
}
