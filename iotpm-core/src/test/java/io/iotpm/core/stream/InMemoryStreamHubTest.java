package io.iotpm.core.stream;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The in-memory hub's own settings and rings. It runs {@code StreamHubContract} in iotpm-test's tests
 * ({@code InMemoryStreamHubContractTest}): iotpm-test depends on this module, so core cannot use it.
 */
class InMemoryStreamHubTest {

    @Test
    void injectedThreadFactory_makesEveryWorker_andCloseEndsThem() {
        AtomicInteger made = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        StreamHub hub = StreamHub.inMemory().threadFactory(r -> {
            Thread t = new Thread(r, "host-worker-" + made.incrementAndGet());
            threads.add(t);
            return t;
        }).build();
        hub.subscribe(Topic.READINGS, SubscriberOptions.builder().lanes(3).build(), r -> { });
        assertThat(made.get()).isEqualTo(3);
        assertThat(hub.close(Duration.ofSeconds(5))).isTrue();
        assertThat(threads).noneMatch(Thread::isAlive);
    }

    @Test
    void capacity_isRoundedUpToAPowerOfTwo() {
        try (StreamHub hub = StreamHub.inMemory().build()) {
            Subscription s = hub.subscribe(Topic.READINGS, SubscriberOptions.builder().capacity(1000).build(), r -> { });
            assertThat(s.metrics().capacity()).isEqualTo(1024);
        }
    }

    @Test
    void builders_rejectBadValuesNamingThem() {
        assertThatThrownBy(() -> StreamHub.inMemory().capacity(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was 0");
        assertThatThrownBy(() -> SubscriberOptions.builder().lanes(65))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65");
        assertThatThrownBy(() -> SubscriberOptions.builder().name("../x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'../x'");
        assertThatThrownBy(() -> StreamHub.inMemory().closeTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
        assertThatThrownBy(() -> Topic.of("Bad Topic", String.class, s -> s))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Bad Topic'");
    }

    @Test
    void mpmcRing_offerPollDrain_respectCapacityAndOrder() {
        ringBehaves(new MpmcRing(4));
    }

    @Test
    void mpscRing_offerPollDrain_respectCapacityAndOrder() {
        ringBehaves(new MpscRing(4));
    }

    @Test
    void mpscRing_wrapsManyLaps() {
        Ring ring = new MpscRing(8);
        Object[] out = new Object[8];
        long next = 0;
        for (int lap = 0; lap < 10_000; lap++) {
            for (int k = 0; k < 5; k++) {
                assertThat(ring.offer(lap * 5L + k)).isTrue();
            }
            int n = ring.drain(out, 8);
            assertThat(n).isEqualTo(5);
            for (int k = 0; k < n; k++) {
                assertThat(out[k]).isEqualTo(next++);
            }
        }
        assertThat(ring.isEmpty()).isTrue();
    }

    private static void ringBehaves(Ring ring) {
        for (int i = 0; i < 4; i++) {
            assertThat(ring.offer(i)).isTrue();
        }
        assertThat(ring.offer(99)).isFalse();
        assertThat(ring.poll()).isEqualTo(0);
        assertThat(ring.offer(4)).isTrue();
        Object[] out = new Object[8];
        assertThat(ring.drain(out, 8)).isEqualTo(4);
        assertThat(out).startsWith(1, 2, 3, 4);
        assertThat(ring.isEmpty()).isTrue();
        assertThat(ring.poll()).isNull();
    }
}
