package io.iotpm.core.stream;

import java.util.Objects;

/**
 * How one subscriber is served: its name, queue capacity, overflow policy and number of lanes.
 * Unset values take the hub's defaults. Immutable; build with {@link #builder()}.
 */
public final class SubscriberOptions {

    private static final SubscriberOptions DEFAULTS = new Builder().build();

    private final String name;
    private final int capacity;
    private final Overflow overflow;
    private final int lanes;
    private final DeliveryHook deliveryHook;

    private SubscriberOptions(Builder b) {
        this.name = b.name;
        this.capacity = b.capacity;
        this.overflow = b.overflow;
        this.lanes = b.lanes;
        this.deliveryHook = b.deliveryHook;
    }

    /** @return options that take every value from the hub */
    public static SubscriberOptions defaults() {
        return DEFAULTS;
    }

    /** @return a builder; every value unset (the hub's default) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the subscriber name, or {@code null} for a generated {@code <topic>-<n>} */
    public String name() {
        return name;
    }

    /** @return the queue capacity, or 0 for the hub's default */
    public int capacity() {
        return capacity;
    }

    /** @return the overflow policy, or {@code null} for the hub's default */
    public Overflow overflow() {
        return overflow;
    }

    /** @return how many lanes (queue + worker each) the subscriber has; default 1 */
    public int lanes() {
        return lanes;
    }

    /** @return what a hub that commits positions asks before committing; {@link DeliveryHook#NONE} by default */
    public DeliveryHook deliveryHook() {
        return deliveryHook;
    }

    @Override
    public String toString() {
        return "SubscriberOptions[name=" + name + ", capacity=" + capacity + ", overflow=" + overflow
                + ", lanes=" + lanes + "]";
    }

    /** Builds {@link SubscriberOptions}; reusable, {@link #build()} does not change it. */
    public static final class Builder {
        private String name;
        private int capacity;
        private Overflow overflow;
        private int lanes = 1;
        private DeliveryHook deliveryHook = DeliveryHook.NONE;

        private Builder() {
        }

        /**
         * @param name subscriber name {@code [A-Za-z0-9._-]{1,64}}, used in thread names, metrics and
         *             logs; default {@code <topic>-<n>}
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("subscriber name must match [A-Za-z0-9._-]{1,64}, but was '"
                        + name + "'");
            }
            this.name = name;
            return this;
        }

        /**
         * @param capacity queue capacity per lane, 1 to 2^26, rounded up to a power of two; default
         *                 the hub's
         */
        public Builder capacity(int capacity) {
            this.capacity = InMemoryHubBuilder.checkCapacity(capacity);
            return this;
        }

        /** @param overflow what a publisher does when the queue is full; default the hub's */
        public Builder overflow(Overflow overflow) {
            this.overflow = Objects.requireNonNull(overflow, "overflow");
            return this;
        }

        /**
         * @param lanes number of lanes, 1 to 64; each has its own queue and worker, and a device
         *              always goes to the same lane, so per-device order holds while devices are
         *              handled in parallel (handlers must then be thread-safe); default 1
         */
        public Builder lanes(int lanes) {
            if (lanes < 1 || lanes > 64) {
                throw new IllegalArgumentException("lanes must be in [1, 64], but was " + lanes);
            }
            this.lanes = lanes;
            return this;
        }

        /**
         * @param hook told before a hub that remembers positions (Kafka) commits them, and when the
         *             devices this subscriber receives change; ignored by the in-memory hub;
         *             default {@link DeliveryHook#NONE}
         */
        public Builder deliveryHook(DeliveryHook hook) {
            this.deliveryHook = Objects.requireNonNull(hook, "hook");
            return this;
        }

        /** @return the options */
        public SubscriberOptions build() {
            return new SubscriberOptions(this);
        }
    }
}
