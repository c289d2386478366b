package io.iotpm.core.drift;

/**
 * How far a channel's live distribution moved from the reference, by the usual PSI convention:
 * below 0.1 no shift, 0.1 to 0.25 a moderate one, above 0.25 a major one.
 */
public enum DriftLevel {
    /** PSI below {@value DriftLevel#MODERATE_PSI}, or too few readings in the window to tell. */
    NONE,
    /** PSI from {@value DriftLevel#MODERATE_PSI} to {@value DriftLevel#MAJOR_PSI}. */
    MODERATE,
    /** PSI above {@value DriftLevel#MAJOR_PSI}. */
    MAJOR;

    /** PSI from which a shift counts as moderate. */
    public static final double MODERATE_PSI = 0.1;
    /** PSI above which a shift counts as major. */
    public static final double MAJOR_PSI = 0.25;

    /**
     * @param psi a population stability index
     * @return its level by the convention above
     */
    public static DriftLevel of(double psi) {
        if (psi > MAJOR_PSI) {
            return MAJOR;
        }
        return psi >= MODERATE_PSI ? MODERATE : NONE;
    }
}
