package io.iotpm.alerts;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A filter over the alert history: by device, rule, minimum priority, states and a time range on
 * {@link Alert#firstSeen()}, newest first, at most {@link #limit()} results.
 *
 * @param deviceId    only this device, or {@code null}
 * @param rule        only this rule, or {@code null}
 * @param minPriority only alerts at least this urgent
 * @param states      only these states
 * @param from        only alerts first seen at or after this, or {@code null}
 * @param to          only alerts first seen before this, or {@code null}
 * @param limit       at most this many, newest first
 */
public record AlertQuery(String deviceId, String rule, Priority minPriority, Set<AlertState> states,
                         Instant from, Instant to, int limit) {

    /** Largest {@link #limit()}, and the default. */
    public static final int MAX_LIMIT = 100_000;

    /** @throws IllegalArgumentException if the limit is not in {@code [1, MAX_LIMIT]} or from is after to */
    public AlertQuery {
        Objects.requireNonNull(minPriority, "minPriority");
        states = Set.copyOf(Objects.requireNonNull(states, "states"));
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be in [1, " + MAX_LIMIT + "], but was " + limit);
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw new IllegalArgumentException("from must not be after to, but was " + from + " > " + to);
        }
    }

    /** @return a query for everything (then narrow it with the {@code with} helpers or {@link #builder()}) */
    public static AlertQuery all() {
        return builder().build();
    }

    /** @return a builder matching everything */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param a an alert
     * @return whether it passes every criterion but the limit
     */
    public boolean matches(Alert a) {
        return (deviceId == null || deviceId.equals(a.deviceId()))
                && (rule == null || rule.equals(a.rule()))
                && a.priority().compareTo(minPriority) >= 0
                && states.contains(a.state())
                && (from == null || !a.firstSeen().isBefore(from))
                && (to == null || a.firstSeen().isBefore(to));
    }

    /** Builds an {@link AlertQuery}; every criterion is optional. */
    public static final class Builder {
        private String deviceId;
        private String rule;
        private Priority minPriority = Priority.LOW;
        private Set<AlertState> states = EnumSet.allOf(AlertState.class);
        private Instant from;
        private Instant to;
        private int limit = MAX_LIMIT;

        private Builder() {
        }

        /** @param deviceId only this device */
        public Builder device(String deviceId) {
            this.deviceId = deviceId;
            return this;
        }

        /** @param rule only this rule */
        public Builder rule(String rule) {
            this.rule = rule;
            return this;
        }

        /** @param minPriority only at least this urgent; default LOW */
        public Builder minPriority(Priority minPriority) {
            this.minPriority = Objects.requireNonNull(minPriority, "minPriority");
            return this;
        }

        /** @param first a state @param more more states; default all states */
        public Builder states(AlertState first, AlertState... more) {
            this.states = EnumSet.of(first, more);
            return this;
        }

        /** @param from first seen at or after @param to first seen before; either may be null */
        public Builder between(Instant from, Instant to) {
            this.from = from;
            this.to = to;
            return this;
        }

        /** @param limit at most this many, newest first; default {@link #MAX_LIMIT} */
        public Builder limit(int limit) {
            this.limit = limit;
            return this;
        }

        /** @return the query @throws IllegalArgumentException on an invalid limit or range */
        public AlertQuery build() {
            return new AlertQuery(deviceId, rule, minPriority, states, from, to, limit);
        }
    }
}
