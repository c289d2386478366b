package io.iotpm.ml;

import io.iotpm.core.RiskLevel;

import java.util.Objects;

/**
 * Risk levels ordered with the maintenance decision: the probabilities from which the risk is
 * MEDIUM, HIGH and CRITICAL, and the level from which maintenance is needed. A prediction's
 * {@code maintenanceNeeded} is true exactly when its level is at or above {@code maintenanceLevel},
 * so a planner never sees {@code critical} beside {@code maintenance_needed false}.
 *
 * <p>The level that triggers maintenance starts at the model's decision threshold.
 * {@link #around(double)} places it there when the threshold is learned on validation: the
 * thresholds of lower levels are capped at the decision threshold, those of higher levels raised
 * to it (a level may then be empty).
 *
 * @param medium           probability from which the risk is MEDIUM, in {@code [0, 1]}
 * @param high             HIGH from here, {@code >= medium}
 * @param critical         CRITICAL from here, {@code >= high}, {@code <= 1}
 * @param maintenanceLevel the lowest level at which maintenance is needed: MEDIUM, HIGH or CRITICAL
 */
public record RiskScale(double medium, double high, double critical, RiskLevel maintenanceLevel) {

    /** The default maintenance level: HIGH ("plan maintenance"). */
    public static final RiskLevel DEFAULT_MAINTENANCE_LEVEL = RiskLevel.HIGH;

    /**
     * @throws IllegalArgumentException unless {@code 0 <= medium <= high <= critical <= 1} and the level is
     *                                  MEDIUM, HIGH or CRITICAL
     */
    public RiskScale {
        Objects.requireNonNull(maintenanceLevel, "maintenanceLevel");
        if (!(0 <= medium && medium <= high && high <= critical && critical <= 1)) {
            throw new IllegalArgumentException("risk thresholds need 0 <= medium <= high <= critical <= 1, but were "
                    + medium + ", " + high + ", " + critical);
        }
        if (maintenanceLevel == RiskLevel.LOW) {
            throw new IllegalArgumentException("maintenanceLevel must be MEDIUM, HIGH or CRITICAL, but was LOW"
                    + " (every device would need maintenance)");
        }
    }

    /**
     * @param level MEDIUM, HIGH or CRITICAL
     * @return the probability from which the risk is at least {@code level}; 0 for LOW
     */
    public double from(RiskLevel level) {
        return switch (level) {
            case LOW -> 0;
            case MEDIUM -> medium;
            case HIGH -> high;
            case CRITICAL -> critical;
        };
    }

    /**
     * The scale with the maintenance level starting at {@code decision}: lower levels' thresholds
     * capped at it, higher levels' raised to it.
     *
     * @param decision the probability from which maintenance is needed, in {@code [0, 1]}
     * @return the adjusted scale
     * @throws IllegalArgumentException if {@code decision} is outside {@code [0, 1]}
     */
    public RiskScale around(double decision) {
        if (!(decision >= 0 && decision <= 1)) {
            throw new IllegalArgumentException("decision threshold must be in [0, 1], but was " + decision);
        }
        double[] t = {medium, high, critical};
        int m = maintenanceLevel.ordinal() - 1;
        for (int i = 0; i < 3; i++) {
            t[i] = i < m ? Math.min(t[i], decision) : i > m ? Math.max(t[i], decision) : decision;
        }
        return new RiskScale(t[0], t[1], t[2], maintenanceLevel);
    }

    /**
     * Checks that a fixed decision threshold agrees with these thresholds: the maintenance level
     * starts exactly at it.
     *
     * @param decision the probability from which maintenance is needed
     * @throws IllegalArgumentException naming the thresholds, the decision and the level when they contradict
     */
    public void requireAgrees(double decision) {
        if (from(maintenanceLevel) != decision) {
            throw new IllegalArgumentException("risk thresholds (medium " + medium + ", high " + high + ", critical "
                    + critical + ") contradict decisionThreshold " + decision + ": maintenance is needed from "
                    + maintenanceLevel + " on, so " + maintenanceLevel + " must start at " + decision + ", but starts at "
                    + from(maintenanceLevel));
        }
    }

    /**
     * The risk level of a probability, kept on the side of the decision: at least the maintenance
     * level when maintenance is needed, below it otherwise (so rounding at the boundary, or a
     * decision made on another quantity such as an RUL, cannot contradict the level).
     *
     * @param p                 the failure probability
     * @param maintenanceNeeded the decision for this prediction
     * @return the level
     */
    public RiskLevel level(double p, boolean maintenanceNeeded) {
        RiskLevel l = p >= critical ? RiskLevel.CRITICAL
                : p >= high ? RiskLevel.HIGH
                : p >= medium ? RiskLevel.MEDIUM
                : RiskLevel.LOW;
        if (maintenanceNeeded && l.compareTo(maintenanceLevel) < 0) {
            return maintenanceLevel;
        }
        if (!maintenanceNeeded && l.compareTo(maintenanceLevel) >= 0) {
            return RiskLevel.values()[maintenanceLevel.ordinal() - 1];
        }
        return l;
    }
}
