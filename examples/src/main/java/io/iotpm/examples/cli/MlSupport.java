package io.iotpm.examples.cli;

import io.iotpm.ml.EngineOptions;
import io.iotpm.ml.LstmPredictor;

import java.util.Locale;

/** Settings the ML commands apply before DJL loads, unless the user set them. */
final class MlSupport {

    private MlSupport() {
    }

    /**
     * The engine settings every host needs ({@link EngineOptions#defaults()}: offline, one PyTorch
     * thread per pool, unless the user set them). DJL's start-up chatter is kept off the console by
     * {@code logback.xml} (its {@code ai.djl} logger goes to {@code logs/predictive_model.log}).
     */
    static void quietOffline() {
        EngineOptions.defaults().apply();
    }

    /** A one-line progress bar for training, redrawn in place. */
    /**
     * Parses a {@code --calibration} value.
     *
     * @throws IllegalArgumentException naming the value when it is not none or platt
     */
    static LstmPredictor.Calibration calibration(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "none" -> LstmPredictor.Calibration.NONE;
            case "platt" -> LstmPredictor.Calibration.PLATT;
            default -> throw new IllegalArgumentException("--calibration must be none or platt, but was '" + value + "'");
        };
    }

    static String bar(int done, int total, int width) {
        int filled = total == 0 ? width : (int) ((long) done * width / total);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }
}
