package io.iotpm.ml;

import java.time.Instant;

/**
 * One window of a {@link TrainingSet}, cut and labelled the way {@link LstmPredictor} cuts them
 * (see {@link TrainingSet#windows(int, int, int)}): its device, the time of its newest reading,
 * whether a failure follows within the horizon, and its remaining useful life. The raw values stay
 * in the training set; {@link #copyValuesTo(double[], int)} copies them out, so a list of
 * overlapping windows costs no copy of the data.
 */
public final class LabelledWindow {

    private final Windows.Window window;
    private final int length;

    LabelledWindow(Windows.Window window, int length) {
        this.window = window;
        this.length = length;
    }

    /** @return the device */
    public String deviceId() {
        return window.series().deviceId();
    }

    /** @return the time of the newest reading in the window */
    public Instant end() {
        return window.series().times()[window.end()];
    }

    /** @return the index of the window's newest reading in its device's series (0 = the device's first reading) */
    public int endIndex() {
        return window.end();
    }

    /** @return how many readings the window holds */
    public int length() {
        return length;
    }

    /** @return whether a failure follows within the horizon the window was cut with */
    public boolean failureWithinHorizon() {
        return window.label();
    }

    /** @return steps from the newest reading to the last reading before the next failure, or NaN when none follows */
    public double remainingUsefulLife() {
        return window.rul();
    }

    /**
     * Copies the window's raw values, {@code length() × channels}, row-major and oldest first.
     *
     * @param target the array to fill
     * @param at     where in {@code target} the first value goes
     * @throws IndexOutOfBoundsException if {@code target} is too short
     */
    public void copyValuesTo(double[] target, int at) {
        double[] v = window.series().values();
        int c = v.length / window.series().times().length;
        System.arraycopy(v, (window.end() - length + 1) * c, target, at, length * c);
    }
}
