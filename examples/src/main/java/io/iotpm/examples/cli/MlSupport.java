package io.iotpm.examples.cli;

/** Settings the ML commands apply before DJL loads, unless the user set them. */
final class MlSupport {

    private MlSupport() {
    }

    /**
     * Nothing may download at run time (the PyTorch natives come from the class path), and DJL's
     * start-up chatter stays out of the demo output. PyTorch runs one intra-op thread: the small
     * LSTM matrices gain little from more, and on a shared machine OpenMP threads spinning against
     * other processes made training 20 times slower (measured: 12 s vs 0.6 s per batch).
     */
    static void quietOffline() {
        setIfAbsent("ai.djl.pytorch.num_threads", "1");
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        setIfAbsent("ai.djl.offline", "true");
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
