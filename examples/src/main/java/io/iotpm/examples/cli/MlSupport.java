package io.iotpm.examples.cli;

import io.iotpm.ml.EngineOptions;

/** Settings the ML commands apply before DJL loads, unless the user set them. */
final class MlSupport {

    private MlSupport() {
    }

    /**
     * The engine settings every host needs ({@link EngineOptions#defaults()}: offline, one PyTorch
     * thread per pool, unless the user set them), and DJL's start-up chatter stays out of the demo output.
     */
    static void quietOffline() {
        EngineOptions.defaults().apply();
        setIfAbsent("org.slf4j.simpleLogger.log.ai.djl", "error");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** A one-line progress bar for training, redrawn in place. */
    static String bar(int done, int total, int width) {
        int filled = total == 0 ? width : (int) ((long) done * width / total);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }
}
