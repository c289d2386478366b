package io.iotpm.core.drift;

import java.util.ArrayList;
import java.util.List;

/**
 * The sliding window of one device group: the bin of every channel of its last {@code window}
 * readings in a ring, the count per bin, and the PSI of each channel kept up to date in O(1) per
 * reading and channel. Thread-safe by its own lock (one group's readings serialise; groups do not).
 *
 * <p>With live shares {@code a_i = c'_i / n'} (counts smoothed by {@link #ALPHA} so an empty bin has a
 * finite logarithm, {@code n' = n + k·ALPHA}) and reference shares {@code e_i} summing to 1,
 * {@code PSI = Σ (a_i − e_i) ln(a_i / e_i)} expands to {@code (A − B) / n' − C + D} with
 * {@code A = Σ c'_i ln c'_i}, {@code B = Σ c'_i ln e_i}, {@code C = Σ e_i ln c'_i},
 * {@code D = Σ e_i ln e_i} (the {@code ln n'} terms cancel). One reading entering or leaving a bin
 * changes one term of each sum, so an update is a few table look-ups.
 */
final class GroupWindow {

    /** Pseudo-count added to every live bin (Jeffreys' ½), so empty bins do not make PSI infinite. */
    static final double ALPHA = 0.5;
    /** Floor for a reference share, for a bin no training value fell into. */
    static final double MIN_SHARE = 1e-4;

    private final String group;
    private final int window;
    private final int channels;
    private final byte[] ring;          // window × channels bin codes, -1 = missing value
    private final int[][] counts;
    private final int[] n;
    private final double[] sumA;
    private final double[] sumB;
    private final double[] sumC;
    private final double[] constD;
    private final double[][] expected;
    private final double[][] lnExpected;
    private final double[] xLnX;        // (c + ALPHA) ln(c + ALPHA) for c = 0..window
    private final double[] lnX;         // ln(c + ALPHA)
    private int head;
    private int size;
    private int sinceResync;

    GroupWindow(String group, DriftReference reference, int window, double[] xLnX, double[] lnX) {
        this.group = group;
        this.window = window;
        this.channels = reference.channels().size();
        this.ring = new byte[window * channels];
        this.counts = new int[channels][];
        this.n = new int[channels];
        this.sumA = new double[channels];
        this.sumB = new double[channels];
        this.sumC = new double[channels];
        this.constD = new double[channels];
        this.expected = new double[channels][];
        this.lnExpected = new double[channels][];
        this.xLnX = xLnX;
        this.lnX = lnX;
        for (int c = 0; c < channels; c++) {
            double[] p = reference.proportionsView(c);
            expected[c] = smoothed(p);
            lnExpected[c] = new double[p.length];
            counts[c] = new int[p.length];
            for (int b = 0; b < p.length; b++) {
                lnExpected[c][b] = Math.log(expected[c][b]);
                constD[c] += expected[c][b] * lnExpected[c][b];
            }
        }
        resync();
    }

    /** Reference shares with a floor for empty bins, renormalised to sum to 1. */
    static double[] smoothed(double[] p) {
        double[] e = new double[p.length];
        double sum = 0;
        for (int b = 0; b < p.length; b++) {
            e[b] = Math.max(p[b], MIN_SHARE);
            sum += e[b];
        }
        for (int b = 0; b < p.length; b++) {
            e[b] /= sum;
        }
        return e;
    }

    String group() {
        return group;
    }

    /** Adds one reading's bin codes (one per channel, -1 = missing), evicting the oldest when full. */
    synchronized void add(byte[] bins) {
        int slot = head * channels;
        if (size == window) {
            for (int c = 0; c < channels; c++) {
                byte old = ring[slot + c];
                if (old >= 0) {
                    move(c, old, -1);
                }
            }
        } else {
            size++;
        }
        for (int c = 0; c < channels; c++) {
            byte b = bins[c];
            ring[slot + c] = b;
            if (b >= 0) {
                move(c, b, +1);
            }
        }
        head = head + 1 == window ? 0 : head + 1;
        // Re-add the sums from the counts now and then, so rounding cannot pile up over a long run.
        if (++sinceResync >= window) {
            resync();
        }
    }

    private void move(int c, int b, int delta) {
        int before = counts[c][b];
        int after = before + delta;
        counts[c][b] = after;
        n[c] += delta;
        sumA[c] += xLnX[after] - xLnX[before];
        sumB[c] += delta * lnExpected[c][b];
        sumC[c] += expected[c][b] * (lnX[after] - lnX[before]);
    }

    private void resync() {
        sinceResync = 0;
        for (int c = 0; c < channels; c++) {
            double a = 0;
            double bSum = 0;
            double cSum = 0;
            for (int b = 0; b < counts[c].length; b++) {
                int k = counts[c][b];
                a += xLnX[k];
                bSum += (k + ALPHA) * lnExpected[c][b];
                cSum += expected[c][b] * lnX[k];
            }
            sumA[c] = a;
            sumB[c] = bSum;
            sumC[c] = cSum;
        }
    }

    /** @return the channel's PSI now; caller holds the lock */
    private double psi(int c) {
        double nPrime = n[c] + counts[c].length * ALPHA;
        // Exact arithmetic never goes below 0; rounding can, by a hair.
        return Math.max(0, (sumA[c] - sumB[c]) / nPrime - sumC[c] + constD[c]);
    }

    /** @return whether the channel is ready and its PSI above the threshold */
    synchronized boolean drifting(int c, int minReadings, double threshold) {
        return n[c] >= minReadings && psi(c) > threshold;
    }

    /** @return one snapshot per channel, in reference order */
    synchronized List<DriftSnapshot> snapshots(List<String> names, int minReadings, double threshold) {
        List<DriftSnapshot> out = new ArrayList<>(channels);
        for (int c = 0; c < channels; c++) {
            double psi = psi(c);
            boolean ready = n[c] >= minReadings;
            out.add(new DriftSnapshot(group, names.get(c), psi, n[c], ready, ready ? DriftLevel.of(psi)
                    : DriftLevel.NONE, threshold, ready && psi > threshold));
        }
        return out;
    }
}
