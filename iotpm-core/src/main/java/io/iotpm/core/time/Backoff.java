package io.iotpm.core.time;

import java.time.Duration;
import java.util.Objects;

/**
 * How long to wait before each retry of a failing call: exponential growth from an initial delay,
 * capped at a maximum, optionally shortened by a seeded jitter, for a bounded or unbounded number of
 * attempts. An immutable value; {@link #delay(int)} is a pure function of the attempt number, so the
 * same backoff always gives the same schedule and a test can assert it without waiting.
 *
 * <pre>{@code
 * Backoff backoff = Backoff.builder(Duration.ofMillis(100))
 *     .maxDelay(Duration.ofSeconds(30)).maxAttempts(5).build();
 * for (int attempt = 1; ; attempt++) {
 *     try {
 *         return call();
 *     } catch (IOException e) {
 *         // Waits 100 ms, 200 ms, 400 ms, 800 ms; a latch that close() opens cuts a wait short.
 *         if (!backoff.allowsRetry(attempt)
 *                 || closed.await(backoff.delay(attempt).toNanos(), TimeUnit.NANOSECONDS)) {
 *             throw e;
 *         }
 *     }
 * }
 * }</pre>
 *
 * @param initialDelay the wait after the first failed attempt, {@code >= 0}
 * @param multiplier   the factor between one delay and the next, finite and {@code >= 1}
 * @param maxDelay     the longest wait, {@code >= initialDelay}; {@link #MAX_DELAY} for no cap
 * @param maxAttempts  attempts in all, the first included, {@code >= 1}; {@link #UNLIMITED_ATTEMPTS}
 *                     to retry for ever
 * @param jitter       the largest fraction, in {@code [0, 1]}, by which a delay is shortened at random
 * @param seed         the seed of that randomness; unused when {@code jitter} is 0
 */
public record Backoff(Duration initialDelay, double multiplier, Duration maxDelay, int maxAttempts,
                      double jitter, long seed) {

    /** The longest delay a backoff can give (2^63 - 1 ns, about 292 years); as {@code maxDelay}, no cap. */
    public static final Duration MAX_DELAY = Duration.ofNanos(Long.MAX_VALUE);
    /** Default {@link Builder#multiplier(double)}: each delay doubles the one before. */
    public static final double DEFAULT_MULTIPLIER = 2.0;
    /** {@link Builder#maxAttempts(int)} that never gives up, the default. */
    public static final int UNLIMITED_ATTEMPTS = Integer.MAX_VALUE;

    /**
     * Checks every component; prefer {@link #builder(Duration)}, which names them.
     *
     * @param initialDelay the wait after the first failed attempt
     * @param multiplier   the factor between one delay and the next
     * @param maxDelay     the longest wait
     * @param maxAttempts  attempts in all, the first included
     * @param jitter       the largest fraction by which a delay is shortened at random
     * @param seed         the seed of that randomness
     * @throws NullPointerException     if a duration is {@code null}
     * @throws IllegalArgumentException if a component is out of its range (the message holds the
     *                                  bad value) or {@code maxDelay < initialDelay}
     */
    public Backoff {
        checkDelay("initialDelay", initialDelay);
        checkMultiplier(multiplier);
        checkDelay("maxDelay", maxDelay);
        checkMaxAttempts(maxAttempts);
        checkJitter(jitter);
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("maxDelay " + maxDelay + " is shorter than initialDelay " + initialDelay);
        }
    }

    /**
     * @param initialDelay the wait after the first failed attempt, from 0 to {@link #MAX_DELAY}
     * @return a builder with the defaults documented on its setters
     * @throws NullPointerException     if {@code initialDelay} is {@code null}
     * @throws IllegalArgumentException if {@code initialDelay} is negative or longer than {@link #MAX_DELAY}
     */
    public static Builder builder(Duration initialDelay) {
        return new Builder(checkDelay("initialDelay", initialDelay));
    }

    /**
     * The wait after failed attempt number {@code attempt}: {@code initialDelay × multiplier^(attempt-1)},
     * capped at {@code maxDelay}, then, with jitter, shortened by up to {@code jitter} of itself by an
     * amount fixed by the seed and the attempt. The same backoff and attempt always give the same
     * delay; retriers that must not retry in step use different seeds.
     *
     * @param attempt the failed attempt, counted from 1
     * @return the delay, never negative nor longer than {@code maxDelay}
     * @throws IllegalArgumentException if {@code attempt < 1}
     */
    public Duration delay(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, but was " + attempt);
        }
        long max = maxDelay.toNanos();
        // In double arithmetic a power of 2 stays exact and overflow becomes infinity, which the cap catches.
        double grown = initialDelay.toNanos() * Math.pow(multiplier, attempt - 1.0);
        long nanos = grown >= max ? max : (long) grown;
        if (jitter > 0) {
            nanos -= (long) (nanos * jitter * unitInterval(seed, attempt));
        }
        return Duration.ofNanos(nanos);
    }

    /**
     * @param attempt the failed attempt, counted from 1
     * @return whether another attempt may follow it, i.e. {@code attempt < maxAttempts}
     * @throws IllegalArgumentException if {@code attempt < 1}
     */
    public boolean allowsRetry(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, but was " + attempt);
        }
        return attempt < maxAttempts;
    }

    /** SplitMix64's finalizer over (seed, attempt): a well-spread value in [0, 1) without shared state. */
    private static double unitInterval(long seed, int attempt) {
        long z = seed + attempt * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }

    private static Duration checkDelay(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException(what + " must be in [0, " + MAX_DELAY + "], but was " + d);
        }
        return d;
    }

    private static double checkMultiplier(double multiplier) {
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be finite and >= 1, but was " + multiplier);
        }
        return multiplier;
    }

    private static int checkMaxAttempts(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, but was " + maxAttempts);
        }
        return maxAttempts;
    }

    private static double checkJitter(double jitter) {
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be in [0, 1], but was " + jitter);
        }
        return jitter;
    }

    /** Builds a {@link Backoff}; reusable, {@link #build()} does not change it. */
    public static final class Builder {
        private final Duration initialDelay;
        private double multiplier = DEFAULT_MULTIPLIER;
        private Duration maxDelay = MAX_DELAY;
        private int maxAttempts = UNLIMITED_ATTEMPTS;
        private double jitter;
        private long seed;

        private Builder(Duration initialDelay) {
            this.initialDelay = initialDelay;
        }

        /**
         * @param multiplier factor between one delay and the next, finite and {@code >= 1} (1 gives a
         *                   fixed delay); default {@value Backoff#DEFAULT_MULTIPLIER}
         * @return this
         * @throws IllegalArgumentException if out of range
         */
        public Builder multiplier(double multiplier) {
            this.multiplier = checkMultiplier(multiplier);
            return this;
        }

        /**
         * @param maxDelay the longest wait, {@code >= initialDelay} (checked by {@link #build()});
         *                 default {@link Backoff#MAX_DELAY}, i.e. no cap
         * @return this
         * @throws NullPointerException     if {@code null}
         * @throws IllegalArgumentException if negative or longer than {@link Backoff#MAX_DELAY}
         */
        public Builder maxDelay(Duration maxDelay) {
            this.maxDelay = checkDelay("maxDelay", maxDelay);
            return this;
        }

        /**
         * @param maxAttempts attempts in all, the first included, {@code >= 1} (1 means never retry);
         *                    default {@link Backoff#UNLIMITED_ATTEMPTS}
         * @return this
         * @throws IllegalArgumentException if {@code < 1}
         */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = checkMaxAttempts(maxAttempts);
            return this;
        }

        /**
         * Shortens each delay by a seeded random fraction of itself, so that retriers given different
         * seeds spread their retries instead of hitting a recovering service together.
         *
         * @param jitter the largest fraction cut from a delay, in {@code [0, 1]}; default 0 (no jitter)
         * @param seed   the seed; the same seed gives the same delays
         * @return this
         * @throws IllegalArgumentException if {@code jitter} is out of range
         */
        public Builder jitter(double jitter, long seed) {
            this.jitter = checkJitter(jitter);
            this.seed = seed;
            return this;
        }

        /**
         * @return the backoff
         * @throws IllegalArgumentException if {@code maxDelay} is shorter than {@code initialDelay}
         */
        public Backoff build() {
            return new Backoff(initialDelay, multiplier, maxDelay, maxAttempts, jitter, seed);
        }
    }
}
