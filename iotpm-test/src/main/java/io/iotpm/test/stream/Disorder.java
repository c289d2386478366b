package io.iotpm.test.stream;

import io.iotpm.core.SensorReading;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Turns an ordered stream of readings into what an at-least-once broker or a replaying gateway
 * delivers: readings one step late, readings delivered twice, and a shuffle of bounded disorder.
 * Each method is deterministic for its seed and returns a new list; the input is not changed.
 *
 * <pre>{@code
 * List<SensorReading> delivered = Disorder.duplicated(Disorder.oneStepLate(ordered, 0.05, 1), 0.05, 8, 2);
 * }</pre>
 */
public final class Disorder {

    private Disorder() {
    }

    /**
     * Delays a share of the readings by one step of their own device: each chosen reading is
     * delivered right after its device's next reading (so that one arrives first).
     *
     * @param ordered the stream in delivery order
     * @param share   share of readings to delay, in {@code [0, 1]}
     * @param seed    the random seed
     * @return the stream with those readings one step late
     */
    public static List<SensorReading> oneStepLate(List<SensorReading> ordered, double share, long seed) {
        requireShare(share);
        Random rnd = new Random(seed);
        List<SensorReading> out = new ArrayList<>(ordered);
        for (int i = 0; i < out.size(); i++) {
            if (rnd.nextDouble() >= share) {
                continue;
            }
            String device = out.get(i).deviceId();
            for (int j = i + 1; j < out.size(); j++) {
                if (out.get(j).deviceId().equals(device)) {
                    // Moves the reading to just after its device's next one; skipping past it keeps
                    // one reading from being delayed twice.
                    out.add(j, out.remove(i));
                    i = j;
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Delivers a share of the readings twice: the copy follows the original within
     * {@code maxGap} positions of the stream.
     *
     * @param stream the stream in delivery order
     * @param share  share of readings delivered twice, in {@code [0, 1]}
     * @param maxGap most positions between the original and its copy, {@code >= 0}
     * @param seed   the random seed
     * @return the stream with the copies
     */
    public static List<SensorReading> duplicated(List<SensorReading> stream, double share, int maxGap, long seed) {
        requireShare(share);
        requireNonNegative(maxGap, "maxGap");
        Random rnd = new Random(seed);
        List<double[]> keys = new ArrayList<>();
        List<SensorReading> all = new ArrayList<>(stream);
        for (int i = 0; i < stream.size(); i++) {
            keys.add(new double[]{i, i});
            if (rnd.nextDouble() < share) {
                all.add(stream.get(i));
                // The copy sorts after the original and before position i + maxGap + 1.
                keys.add(new double[]{i + 0.5 + rnd.nextInt(maxGap + 1), all.size() - 1});
            }
        }
        return sorted(all, keys);
    }

    /**
     * Shuffles the stream so that every reading moves at most {@code maxDisplacement} positions
     * from where it was (a bounded disorder, as after several network paths or consumer threads).
     *
     * @param stream          the stream in delivery order
     * @param maxDisplacement the bound, {@code >= 0}
     * @param seed            the random seed
     * @return the shuffled stream
     */
    public static List<SensorReading> shuffled(List<SensorReading> stream, int maxDisplacement, long seed) {
        requireNonNegative(maxDisplacement, "maxDisplacement");
        Random rnd = new Random(seed);
        List<double[]> keys = new ArrayList<>();
        for (int i = 0; i < stream.size(); i++) {
            // Sorting i + u with u in [0, d) moves an element by less than d places either way.
            keys.add(new double[]{i + rnd.nextDouble() * maxDisplacement, i});
        }
        return sorted(new ArrayList<>(stream), keys);
    }

    /** Orders {@code items} by the first value of each key; the second value is the item's index. */
    private static List<SensorReading> sorted(List<SensorReading> items, List<double[]> keys) {
        keys.sort(Comparator.comparingDouble((double[] k) -> k[0]).thenComparingDouble(k -> k[1]));
        List<SensorReading> out = new ArrayList<>(items.size());
        for (double[] k : keys) {
            out.add(Objects.requireNonNull(items.get((int) k[1])));
        }
        return out;
    }

    private static void requireShare(double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be in [0, 1], but was " + share);
        }
    }

    private static void requireNonNegative(int n, String what) {
        if (n < 0) {
            throw new IllegalArgumentException(what + " must be >= 0, but was " + n);
        }
    }
}
