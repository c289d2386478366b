package io.iotpm.api.internal.auth;

import io.iotpm.api.internal.ApiException;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds and shares out password hashing (PBKDF2, deliberately slow) among client addresses. An
 * address checks one password at a time and may have at most {@value #MAX_QUEUED_PER_ADDRESS}
 * logins waiting (more are refused at once with 429); at most {@code permits} hashes run at a time,
 * granted first come, first served. One address flooding logins therefore holds at most one hashing
 * slot and one place in the queue, and a login from another address waits for at most one of its
 * hashes, not for the whole flood. The caller re-checks its throttle once its turn comes, so logins
 * queued before the throttle tripped are refused without hashing.
 */
public final class LoginGate {

    /** Logins of one address that may wait for or hold its turn; more are refused at once. */
    public static final int MAX_QUEUED_PER_ADDRESS = 4;

    private final Semaphore hashing;
    private final Duration maxWait;
    private final Map<String, Turn> turns = new ConcurrentHashMap<>();

    /**
     * @param permits hashes that may run at once, at least 1
     * @param maxWait how long a login waits for its turn before 503
     */
    public LoginGate(int permits, Duration maxWait) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be >= 1, but was " + permits);
        }
        this.hashing = new Semaphore(permits, true);
        this.maxWait = maxWait;
    }

    /** @return the default number of concurrent hashes: half the cores, at least one */
    public static int defaultPermits() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** One address's turn to hash, and how many of its logins hold or wait for it. */
    private static final class Turn {
        final Semaphore semaphore = new Semaphore(1, true);
        int users;
    }

    /** The right to hash one password; close it when done. */
    public final class Permit implements AutoCloseable {
        private final String address;
        private final Turn turn;

        private Permit(String address, Turn turn) {
            this.address = address;
            this.turn = turn;
        }

        @Override
        public void close() {
            hashing.release();
            turn.semaphore.release();
            leave(address);
        }
    }

    /**
     * Waits for the address's turn and a hashing slot.
     *
     * @param address the client address
     * @return the permit, to close after hashing
     * @throws ApiException 429 when the address already has {@value #MAX_QUEUED_PER_ADDRESS} logins
     *                      under way, 503 when no slot came within the wait
     * @throws InterruptedException if interrupted while waiting
     */
    public Permit enter(String address) throws InterruptedException {
        boolean[] admitted = new boolean[1];
        Turn turn = turns.compute(address, (a, t) -> {
            Turn out = t != null ? t : new Turn();
            if (out.users < MAX_QUEUED_PER_ADDRESS) {
                out.users++;
                admitted[0] = true;
            }
            return out;
        });
        if (!admitted[0]) {
            throw new ApiException(429, "too_many_requests", "too many logins under way from this address;"
                    + " retry shortly", null);
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        boolean haveTurn = false;
        try {
            haveTurn = turn.semaphore.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
            if (haveTurn && hashing.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return new Permit(address, turn);
            }
        } catch (InterruptedException e) {
            release(address, turn, haveTurn);
            throw e;
        }
        release(address, turn, haveTurn);
        throw new ApiException(503, "unavailable", "login service is busy; retry shortly", null);
    }

    private void release(String address, Turn turn, boolean haveTurn) {
        if (haveTurn) {
            turn.semaphore.release();
        }
        leave(address);
    }

    private void leave(String address) {
        // The map holds only addresses with logins under way, so it is bounded by the request threads.
        turns.computeIfPresent(address, (a, t) -> --t.users == 0 ? null : t);
    }
}
