package io.iotpm.core.storage;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StorageLifecycleTest {

    @Test
    void call_returnsTheResultWhileOpen_andFailsNamingTheStoreOnceClosed() {
        StorageLifecycle lifecycle = new StorageLifecycle("sqlite:x.db");
        assertThat(lifecycle.call(() -> 42)).isEqualTo(42);
        lifecycle.close(() -> { });
        assertThatThrownBy(() -> lifecycle.call(() -> 1))
                .isInstanceOf(IllegalStateException.class).hasMessage("storage sqlite:x.db is closed");
        assertThatThrownBy(() -> lifecycle.run(() -> { })).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void close_releasesOnlyOnce() {
        StorageLifecycle lifecycle = new StorageLifecycle("memory:");
        AtomicInteger released = new AtomicInteger();
        lifecycle.close(released::incrementAndGet);
        lifecycle.close(released::incrementAndGet);
        assertThat(released).hasValue(1);
    }

    @Test
    void close_waitsForARunningCall() throws Exception {
        StorageLifecycle lifecycle = new StorageLifecycle("memory:");
        CountDownLatch inCall = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger order = new AtomicInteger();
        AtomicInteger callEnded = new AtomicInteger();
        AtomicInteger released = new AtomicInteger();
        Thread caller = new Thread(() -> lifecycle.run(() -> {
            inCall.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            callEnded.set(order.incrementAndGet());
        }));
        caller.start();
        assertThat(inCall.await(30, TimeUnit.SECONDS)).isTrue();
        Thread closer = new Thread(() -> lifecycle.close(() -> released.set(order.incrementAndGet())));
        closer.start();
        finish.countDown();
        caller.join(30_000);
        closer.join(30_000);
        assertThat(callEnded).hasValue(1);
        assertThat(released).hasValue(2);
    }
}
