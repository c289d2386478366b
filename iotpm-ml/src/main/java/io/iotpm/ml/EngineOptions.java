package io.iotpm.ml;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of DJL's PyTorch engine that a host running {@link LstmPredictor} needs: offline mode
 * and PyTorch's thread counts. Apply them before anything loads the engine (the first model built,
 * trained or loaded does):
 *
 * <pre>{@code
 * EngineOptions.defaults().apply();                         // offline, one intra-op and one inter-op thread
 * EngineOptions.builder().intraOpThreads(4).build().apply();
 * }</pre>
 *
 * <p><b>Process-wide, by DJL's design.</b> DJL reads these settings from JVM system properties
 * ({@code ai.djl.offline}, {@code ai.djl.pytorch.num_threads},
 * {@code ai.djl.pytorch.num_interop_threads}) once, when the engine loads, and PyTorch's thread pools
 * are per process. So {@link #apply()} sets system properties, the only channel DJL offers; it keeps
 * no state of its own, never overrides a property the host set (a {@code -D} on the command line
 * wins), and has no effect once the engine has loaded.
 *
 * <p><b>Why one thread by default.</b> The LSTM's matrices are small: more intra-op threads gain
 * little, and on a shared machine OpenMP threads spinning against other processes made a training
 * batch 20 times slower (measured: 12 s vs 0.6 s per batch on 2 shared cores). Offline mode makes
 * DJL fail instead of downloading: the PyTorch natives come from the class path.
 */
public final class EngineOptions {

    /** Default thread count for both PyTorch pools. */
    public static final int DEFAULT_THREADS = 1;

    static final String OFFLINE = "ai.djl.offline";
    static final String INTRA_OP_THREADS = "ai.djl.pytorch.num_threads";
    static final String INTER_OP_THREADS = "ai.djl.pytorch.num_interop_threads";

    private static final EngineOptions DEFAULTS = builder().build();

    private final boolean offline;
    private final int intraOpThreads;
    private final int interOpThreads;

    private EngineOptions(Builder b) {
        this.offline = b.offline;
        this.intraOpThreads = b.intraOpThreads;
        this.interOpThreads = b.interOpThreads;
    }

    /** @return offline, {@value #DEFAULT_THREADS} intra-op and {@value #DEFAULT_THREADS} inter-op thread */
    public static EngineOptions defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from {@link #defaults()} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return whether DJL must not download anything */
    public boolean offline() {
        return offline;
    }

    /** @return threads PyTorch uses inside one operation, 0 for PyTorch's default (one per core) */
    public int intraOpThreads() {
        return intraOpThreads;
    }

    /** @return threads PyTorch runs independent operations on, 0 for PyTorch's default */
    public int interOpThreads() {
        return interOpThreads;
    }

    /** @return the system properties these options stand for, in the order {@link #apply()} sets them */
    public Map<String, String> systemProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        if (intraOpThreads > 0) {
            p.put(INTRA_OP_THREADS, Integer.toString(intraOpThreads));
        }
        if (interOpThreads > 0) {
            p.put(INTER_OP_THREADS, Integer.toString(interOpThreads));
        }
        p.put(OFFLINE, Boolean.toString(offline));
        return p;
    }

    /**
     * Sets each of {@link #systemProperties()} that is not set yet. Call it before the engine loads.
     *
     * @return the properties it set; the others were already set and are left as they were
     */
    public Map<String, String> apply() {
        Map<String, String> set = new LinkedHashMap<>();
        systemProperties().forEach((key, value) -> {
            if (System.getProperty(key) == null) {
                System.setProperty(key, value);
                set.put(key, value);
            }
        });
        return set;
    }

    @Override
    public String toString() {
        return "EngineOptions" + systemProperties();
    }

    /** Builds {@link EngineOptions}; setters validate their argument. */
    public static final class Builder {
        private boolean offline = true;
        private int intraOpThreads = DEFAULT_THREADS;
        private int interOpThreads = DEFAULT_THREADS;

        private Builder() {
        }

        /** @param on forbid DJL to download engines or models at run time; default true */
        public Builder offline(boolean on) {
            this.offline = on;
            return this;
        }

        /** @param threads threads inside one PyTorch operation, {@code >= 0} (0: PyTorch's default); default 1 */
        public Builder intraOpThreads(int threads) {
            this.intraOpThreads = requireThreads("intraOpThreads", threads);
            return this;
        }

        /** @param threads threads for independent PyTorch operations, {@code >= 0} (0: PyTorch's default); default 1 */
        public Builder interOpThreads(int threads) {
            this.interOpThreads = requireThreads("interOpThreads", threads);
            return this;
        }

        private static int requireThreads(String what, int threads) {
            if (threads < 0 || threads > 1024) {
                throw new IllegalArgumentException(what + " must be in [0, 1024], but was " + threads);
            }
            return threads;
        }

        /** @return the options */
        public EngineOptions build() {
            return new EngineOptions(this);
        }
    }
}
