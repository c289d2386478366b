package io.iotpm.core.drift;

/**
 * The drift of one channel in one device group at one moment: a metrics record of
 * {@link DriftMonitor#snapshots()}.
 *
 * @param group     the device group ({@link DriftMonitor#FLEET} unless the monitor groups devices)
 * @param channel   the channel name
 * @param psi       population stability index of the window against the reference (0 = identical)
 * @param count     readings of this channel in the window (missing values are not counted)
 * @param ready     whether {@code count} reached the monitor's minimum; before that the level is
 *                  {@link DriftLevel#NONE} and nothing drifts, because PSI of few readings is noise
 * @param level     the PSI convention's level
 * @param threshold the monitor's alert threshold
 * @param drifting  {@code ready && psi > threshold}
 */
public record DriftSnapshot(String group, String channel, double psi, int count, boolean ready, DriftLevel level,
                            double threshold, boolean drifting) {
}
