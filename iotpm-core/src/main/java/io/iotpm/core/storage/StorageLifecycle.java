package io.iotpm.core.storage;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The open/closed state of a {@link StorageBackend}, for backend authors: calls run while the store
 * is open and fail with {@link IllegalStateException} once it is closed; {@link #close(Runnable)}
 * waits for running calls, then releases the backend's resources exactly once.
 *
 * <pre>{@code
 * private final StorageLifecycle lifecycle = new StorageLifecycle(location);
 * public long count(String id) { return lifecycle.call(() -> queries.count(id)); }
 * public void close() { lifecycle.close(pool::close); }
 * }</pre>
 *
 * <p>Calls share a read lock, so they run in parallel with each other; only {@code close} takes the
 * write lock. A call must not call {@code close} (the read lock cannot be upgraded).
 */
public final class StorageLifecycle {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final String location;
    private boolean closed;                    // guarded by lock

    /**
     * @param location how the store is named in the "closed" message, without credentials
     */
    public StorageLifecycle(String location) {
        this.location = Objects.requireNonNull(location, "location");
    }

    /**
     * Runs {@code work} while the store is open; {@link #close(Runnable)} waits for it to finish.
     *
     * @param work the call
     * @param <T>  its result type
     * @return what {@code work} returned
     * @throws IllegalStateException if the store is closed
     */
    public <T> T call(Supplier<T> work) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("storage " + location + " is closed");
            }
            return work.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Runs {@code work} while the store is open, as {@link #call(Supplier)} does.
     *
     * @param work the call
     * @throws IllegalStateException if the store is closed
     */
    public void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }

    /**
     * Marks the store closed once running calls have finished and runs {@code release} the first
     * time only; later calls return at once.
     *
     * @param release closes the backend's connections, files or pools
     */
    public void close(Runnable release) {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            release.run();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
