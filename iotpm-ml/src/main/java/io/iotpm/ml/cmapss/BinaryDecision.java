package io.iotpm.ml.cmapss;

import java.util.Locale;

/** Which model decides the binary protocol's "fails within the horizon" question. */
public enum BinaryDecision {

    /** The classifier ensemble's probability against its own validation threshold. */
    CLASSIFIER,
    /** The RUL ensemble's score: RUL at or below the horizon. */
    RUL,
    /**
     * The mean of the classifier's probability and the RUL ensemble's score (the default: validation
     * F1 0.934 against 0.913 for the classifier alone).
     */
    COMBINED;

    /**
     * Parses a decision by its lower-case name.
     *
     * @param name {@code classifier}, {@code rul} or {@code combined}
     * @return the decision
     * @throws IllegalArgumentException naming the bad value
     */
    public static BinaryDecision parse(String name) {
        for (BinaryDecision d : values()) {
            if (d.label().equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("binary decision must be classifier, rul or combined, but was '" + name + "'");
    }

    /** @return the lower-case name, as {@link #parse(String)} reads it */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
