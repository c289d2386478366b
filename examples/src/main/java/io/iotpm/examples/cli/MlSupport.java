package io.iotpm.examples.cli;

import io.iotpm.ml.EngineOptions;

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
    static String bar(int done, int total, int width) {
        int filled = total == 0 ? width : (int) ((long) done * width / total);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }
}
