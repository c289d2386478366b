package io.iotpm.core.concurrent;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SingleThreadSchedulerTest {

    @Test
    void stop_returnsOnlyOnceTheThreadHasEnded_evenWhenTheTaskTakesTimeToLeave() throws Exception {
        SingleThreadScheduler s = SingleThreadScheduler.named("test-sched");
        AtomicReference<Thread> worker = new AtomicReference<>();
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        s.executor().execute(() -> {
            worker.set(Thread.currentThread());
            running.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(worker.get().getName()).isEqualTo("test-sched");
        assertThat(worker.get().isDaemon()).isTrue();

        assertThat(s.stop(Duration.ofSeconds(30))).isTrue();
        assertThat(interrupted).isTrue();
        assertThat(worker.get().isAlive()).isFalse();
        assertThat(s.executor().isTerminated()).isTrue();
        assertThat(s.stop(Duration.ofSeconds(1))).as("idempotent").isTrue();
    }

    @Test
    void stop_withoutATaskEverRun_hasNoThreadToWaitFor() {
        SingleThreadScheduler s = SingleThreadScheduler.create(Thread::new);
        assertThat(s.stop(Duration.ZERO)).isTrue();
    }

    @Test
    void stop_reportsATaskThatIgnoresTheInterrupt() throws Exception {
        SingleThreadScheduler s = SingleThreadScheduler.named("stubborn");
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        s.executor().execute(() -> {
            running.countDown();
            boolean done = false;
            while (!done) {
                try {
                    done = release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    // ignores it, as badly written host code might
                }
            }
        });
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(s.stop(Duration.ofMillis(50))).isFalse();
        release.countDown();
        assertThat(s.stop(Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void stop_fromItsOwnTask_doesNotWaitForItself() throws Exception {
        SingleThreadScheduler s = SingleThreadScheduler.named("self");
        java.util.concurrent.CompletableFuture<Boolean> stopped = new java.util.concurrent.CompletableFuture<>();
        s.executor().execute(() -> stopped.complete(s.stop(Duration.ofSeconds(60))));
        assertThat(stopped).succeedsWithin(Duration.ofSeconds(30)).isEqualTo(false);
        assertThat(s.stop(Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void rejectsNullArguments() {
        assertThatThrownBy(() -> SingleThreadScheduler.named(null)).hasMessageContaining("name");
        assertThatThrownBy(() -> SingleThreadScheduler.create(null)).hasMessageContaining("threads");
    }
}
