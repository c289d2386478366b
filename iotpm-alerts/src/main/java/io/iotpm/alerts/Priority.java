package io.iotpm.alerts;

/** How urgent an alert is, ordered {@code LOW < MEDIUM < HIGH < CRITICAL} (the original system's levels). */
public enum Priority {
    /** Informational. */
    LOW,
    /** Look at it today. */
    MEDIUM,
    /** Look at it now. */
    HIGH,
    /** Act now; mutes lower-priority alerts of the same type on the same device. */
    CRITICAL;

    /** @return the next higher priority, or {@link #CRITICAL} for {@link #CRITICAL} */
    public Priority raised() {
        return this == CRITICAL ? CRITICAL : values()[ordinal() + 1];
    }

    /**
     * @param name a priority name, case-insensitive ({@code "high"})
     * @return the priority
     * @throws IllegalArgumentException naming the value and the known priorities
     */
    public static Priority parse(String name) {
        for (Priority p : values()) {
            if (p.name().equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown priority '" + name + "'; known: LOW, MEDIUM, HIGH, CRITICAL");
    }
}
