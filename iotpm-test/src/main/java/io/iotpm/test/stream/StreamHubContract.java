package io.iotpm.test.stream;

import io.iotpm.core.Channel;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.stream.Overflow;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.stream.StreamOverflowException;
import io.iotpm.core.stream.SubscriberMetrics;
import io.iotpm.core.stream.SubscriberOptions;
import io.iotpm.core.stream.Subscription;
import io.iotpm.core.stream.Topic;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link StreamHub} keeps: no loss and per-device order under
 * {@link Overflow#BLOCK}, the drop and fail policies, isolation of throwing handlers, typed topics,
 * metrics, and a {@code close()} that drains and stops every thread. The in-memory hub runs it, and
 * so must an adapter to Kafka, MQTT or Redis.
 *
 * <p>An adapter's author adds {@code io.iotpm:iotpm-test} with test scope and writes one test class:
 * <pre>{@code
 * class KafkaStreamHubTest extends StreamHubContract {
 *     @Override
 *     protected StreamHub createHub() {
 *         return KafkaStreamHub.builder().bootstrapServers(kafka.address()).build();
 *     }
 *
 *     @Override
 *     protected String threadNamePrefix() {
 *         return "iotpm-kafka-";
 *     }
 * }
 * }</pre>
 * Hubs made through {@link #newHub()} are closed after each test.
 *
 * <p>A hub on a durable log (Kafka) differs from the in-memory one in three deliberate ways, which
 * it declares by overriding the capability hooks, and the suite then checks the durable behaviour
 * instead: {@link #supportedOverflows()} (a producer cannot see a consumer's queue, so
 * {@link Overflow#DROP_NEWEST} and {@link Overflow#FAIL} are refused at subscribe),
 * {@link #dropsWhenPublished()} (a lagging {@link Overflow#DROP_OLDEST} subscriber skips to the
 * newest records when it reads, so its backlog is not capped while it is stuck) and
 * {@link #retainsPublishedMessages()} (a new subscriber reads what was published before it).
 */
public abstract class StreamHubContract {

    /** Epoch of the test readings; a reading's sequence number is its offset in seconds. */
    protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** A two-channel schema keeps a million readings cheap. */
    protected static final SensorSchema SCHEMA = SensorSchema.builder("contract")
            .channel(Channel.builder("seq").unit("1").nominal(0).normalRange(0, 1e9).physicalRange(0, 1e9))
            .channel(Channel.builder("device").unit("1").nominal(0).normalRange(0, 1e6).physicalRange(0, 1e6))
            .build();
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final List<StreamHub> hubs = new ArrayList<>();

    /** @return a new, empty hub whose default overflow policy is {@link Overflow#BLOCK} */
    protected abstract StreamHub createHub();

    /** @return the names of threads that belong to hubs of this implementation (to check none leak) */
    protected abstract String threadNamePrefix();

    /**
     * @return the overflow policies the hub accepts; the others must be refused at subscribe with an
     *         {@link IllegalArgumentException} naming the policy. Default: all.
     */
    protected Set<Overflow> supportedOverflows() {
        return EnumSet.allOf(Overflow.class);
    }

    /**
     * @return whether overflow is decided when a message is published, so a stuck subscriber's queue
     *         depth never exceeds its capacity (in-memory: yes); a log-based hub drops when the
     *         subscriber reads. Default {@code true}.
     */
    protected boolean dropsWhenPublished() {
        return true;
    }

    /**
     * @return whether a new subscriber receives messages published before it subscribed (a durable
     *         log, read by a new consumer group from its start) instead of only later ones. Default
     *         {@code false}.
     */
    protected boolean retainsPublishedMessages() {
        return false;
    }

    /** @return a hub from {@link #createHub()} that is closed after the test */
    protected final StreamHub newHub() {
        StreamHub hub = createHub();
        hubs.add(hub);
        return hub;
    }

    @AfterEach
    void closeHubs() {
        for (StreamHub h : hubs) {
            h.close(Duration.ofSeconds(5));
        }
    }

    /** A reading of device {@code DEV_<device>} whose timestamp encodes its per-device sequence number. */
    protected static SensorReading reading(int device, long seq) {
        return SensorReading.of(String.format(Locale.ROOT, "DEV_%03d", device), T0.plusSeconds(seq), SCHEMA, seq, device);
    }

    /**
     * @param r a reading made by {@link #reading(int, long)}
     * @return its per-device sequence number
     */
    protected static long seqOf(SensorReading r) {
        return r.timestamp().getEpochSecond() - T0.getEpochSecond();
    }

    /**
     * @param r a reading made by {@link #reading(int, long)}
     * @return its device number
     */
    protected static int deviceOf(SensorReading r) {
        return (int) r.value(1);
    }

    /** Checks, per device, that sequence numbers arrive as 0, 1, 2, ... with nothing missing. */
    private static final class OrderChecker implements Consumer<SensorReading> {
        private final long[] next;
        final AtomicLong received = new AtomicLong();
        final AtomicReference<String> violation = new AtomicReference<>();

        OrderChecker(int devices) {
            next = new long[devices];
        }

        @Override
        public void accept(SensorReading r) {
            int d = deviceOf(r);
            long s = seqOf(r);
            if (s != next[d] && violation.get() == null) {
                violation.set("device " + d + ": expected seq " + next[d] + " but got " + s);
            }
            next[d] = s + 1;
            received.incrementAndGet();
        }
    }

    @Test
    void blockingSubscribers_receiveAMillionReadingsFrom100DevicesWithoutLossInPerDeviceOrder() throws Exception {
        StreamHub hub = newHub();
        int devices = 100;
        int perDevice = 10_000;
        int producers = 4;
        List<OrderChecker> checkers = new ArrayList<>();
        List<Subscription> subs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            OrderChecker c = new OrderChecker(devices);
            checkers.add(c);
            subs.add(hub.subscribe(Topic.READINGS, SubscriberOptions.builder().name("order-" + i)
                    .capacity(1024).overflow(Overflow.BLOCK).build(), c));
        }
        // Readings are made before timing starts; each producer owns a quarter of the devices.
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int first = p * devices / producers;
                int last = (p + 1) * devices / producers;
                futures.add(pool.submit(() -> {
                    for (int s = 0; s < perDevice; s++) {
                        for (int d = first; d < last; d++) {
                            hub.publish(Topic.READINGS, reading(d, s));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        long total = (long) devices * perDevice;
        for (int i = 0; i < 3; i++) {
            assertThat(subs.get(i).awaitIdle(WAIT)).as("subscriber %d idle", i).isTrue();
            assertThat(checkers.get(i).violation.get()).as("order at subscriber %d", i).isNull();
            assertThat(checkers.get(i).received.get()).isEqualTo(total);
            SubscriberMetrics m = subs.get(i).metrics();
            assertThat(m.delivered()).isEqualTo(total);
            assertThat(m.dropped()).isZero();
            assertThat(m.failed()).isZero();
            assertThat(m.lag()).isZero();
            assertThat(m.queueDepth()).isZero();
        }
    }

    @Test
    void dropOldest_slowSubscriberDropsExactlyTheOverflowAndKeepsTheNewest_fastSubscriberUnaffected() throws Exception {
        StreamHub hub = newHub();
        int capacity = 64;
        int n = 10_000;
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Long> slowSeen = Collections.synchronizedList(new ArrayList<>());
        Subscription slow = hub.subscribe(Topic.READINGS, SubscriberOptions.builder().name("slow")
                .capacity(capacity).overflow(Overflow.DROP_OLDEST).build(), r -> {
                    slowSeen.add(seqOf(r));
                    if (seqOf(r) == 0) {
                        entered.countDown();
                        await(release);
                    }
                });
        OrderChecker fastChecker = new OrderChecker(1);
        Subscription fast = hub.subscribe(Topic.READINGS, SubscriberOptions.builder().name("fast")
                .capacity(capacity).overflow(Overflow.BLOCK).build(), fastChecker);

        hub.publish(Topic.READINGS, reading(0, 0));
        assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        // The slow handler now holds message 0; messages 1..n-1 overflow its queue of `capacity`.
        for (int s = 1; s < n; s++) {
            hub.publish(Topic.READINGS, reading(0, s));
        }
        assertThat(fast.awaitIdle(WAIT)).isTrue();
        assertThat(fastChecker.received.get()).isEqualTo(n);
        assertThat(fastChecker.violation.get()).isNull();
        assertThat(fast.metrics().dropped()).isZero();
        if (dropsWhenPublished()) {
            assertThat(slow.metrics().queueDepth()).isEqualTo(capacity);
        } else {
            assertThat(slow.metrics().queueDepth()).isEqualTo(n - 1);
        }

        release.countDown();
        assertThat(slow.awaitIdle(WAIT)).isTrue();
        SubscriberMetrics m = slow.metrics();
        assertThat(m.dropped()).isEqualTo(n - 1 - capacity);
        assertThat(m.delivered()).isEqualTo(1 + capacity);
        List<Long> expected = new ArrayList<>();
        expected.add(0L);
        for (long s = n - capacity; s < n; s++) {
            expected.add(s);
        }
        assertThat(slowSeen).containsExactlyElementsOf(expected);
    }

    @Test
    void dropNewest_keepsTheQueuedMessagesAndCountsTheRefused() throws Exception {
        Assumptions.assumeTrue(supportedOverflows().contains(Overflow.DROP_NEWEST), "DROP_NEWEST not supported");
        StreamHub hub = newHub();
        int capacity = 16;
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Long> seen = Collections.synchronizedList(new ArrayList<>());
        Subscription s = hub.subscribe(Topic.READINGS, SubscriberOptions.builder().capacity(capacity)
                .overflow(Overflow.DROP_NEWEST).build(), r -> {
                    seen.add(seqOf(r));
                    if (seqOf(r) == 0) {
                        entered.countDown();
                        await(release);
                    }
                });
        hub.publish(Topic.READINGS, reading(0, 0));
        assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i < 100; i++) {
            hub.publish(Topic.READINGS, reading(0, i));
        }
        release.countDown();
        assertThat(s.awaitIdle(WAIT)).isTrue();
        assertThat(s.metrics().dropped()).isEqualTo(99 - capacity);
        assertThat(seen).hasSize(1 + capacity).startsWith(0L, 1L, 2L).endsWith((long) capacity);
    }

    @Test
    void fail_throwsNamingSubscriberAndDevice_afterDeliveringToTheOthers() throws Exception {
        Assumptions.assumeTrue(supportedOverflows().contains(Overflow.FAIL), "FAIL not supported");
        StreamHub hub = newHub();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Subscription strict = hub.subscribe(Topic.READINGS, SubscriberOptions.builder().name("strict").capacity(2)
                .overflow(Overflow.FAIL).build(), r -> {
                    entered.countDown();
                    await(release);
                });
        OrderChecker other = new OrderChecker(8);
        Subscription otherSub = hub.subscribe(Topic.READINGS, other);
        hub.publish(Topic.READINGS, reading(7, 0));
        assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        hub.publish(Topic.READINGS, reading(7, 1));
        hub.publish(Topic.READINGS, reading(7, 2));
        assertThatThrownBy(() -> hub.publish(Topic.READINGS, reading(7, 3)))
                .isInstanceOf(StreamOverflowException.class)
                .hasMessageContaining("strict").hasMessageContaining("DEV_007")
                .satisfies(e -> assertThat(((StreamOverflowException) e).deviceId()).isEqualTo("DEV_007"));
        release.countDown();
        assertThat(otherSub.awaitIdle(WAIT)).isTrue();
        assertThat(other.received.get()).isEqualTo(4);
        assertThat(strict.awaitIdle(WAIT)).isTrue();
        assertThat(strict.metrics().dropped()).isEqualTo(1);
        assertThat(strict.metrics().delivered()).isEqualTo(3);
    }

    @Test
    void throwingHandler_losesOnlyThatMessage_keepsReceiving_andOthersAreUnaffected() throws Exception {
        StreamHub hub = newHub();
        AtomicLong good = new AtomicLong();
        Subscription flaky = hub.subscribe(Topic.READINGS, SubscriberOptions.builder().name("flaky").build(), r -> {
            if (deviceOf(r) == 3) {
                throw new IllegalStateException("boom for " + r.deviceId());
            }
            good.incrementAndGet();
        });
        OrderChecker healthy = new OrderChecker(10);
        Subscription other = hub.subscribe(Topic.READINGS, healthy);
        for (int s = 0; s < 100; s++) {
            for (int d = 0; d < 10; d++) {
                hub.publish(Topic.READINGS, reading(d, s));
            }
        }
        assertThat(flaky.awaitIdle(WAIT)).isTrue();
        assertThat(other.awaitIdle(WAIT)).isTrue();
        assertThat(flaky.metrics().failed()).isEqualTo(100);
        assertThat(flaky.metrics().delivered()).isEqualTo(900);
        assertThat(good.get()).isEqualTo(900);
        assertThat(healthy.received.get()).isEqualTo(1000);
        assertThat(healthy.violation.get()).isNull();
        assertThat(other.metrics().failed()).isZero();
    }

    @Test
    void handlerThrowingAnError_isIsolatedToo() throws Exception {
        StreamHub hub = newHub();
        AtomicLong after = new AtomicLong();
        Subscription s = hub.subscribe(Topic.READINGS, r -> {
            if (seqOf(r) == 0) {
                throw new AssertionError("handler bug");
            }
            after.incrementAndGet();
        });
        for (int i = 0; i < 10; i++) {
            hub.publish(Topic.READINGS, reading(1, i));
        }
        assertThat(s.awaitIdle(WAIT)).isTrue();
        assertThat(after.get()).isEqualTo(9);
        assertThat(s.metrics().failed()).isEqualTo(1);
    }

    @Test
    void close_drainsWhatIsQueuedAndStopsEveryThread() throws Exception {
        StreamHub hub = newHub();
        AtomicLong handled = new AtomicLong();
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 3; i++) {
            hub.subscribe(Topic.READINGS, SubscriberOptions.builder().name("drain-" + i).capacity(4096).build(), r -> {
                await(release);
                handled.incrementAndGet();
            });
        }
        hub.subscribe(Topic.PREDICTIONS, p -> { });
        for (int i = 0; i < 1000; i++) {
            hub.publish(Topic.READINGS, reading(i % 10, i / 10));
        }
        assertThat(hubThreads()).isNotEmpty();
        release.countDown();
        assertThat(hub.close(Duration.ofSeconds(30))).isTrue();
        assertThat(handled.get()).isEqualTo(3000);
        assertThat(hub.isClosed()).isTrue();
        assertThat(hubThreads()).isEmpty();
        assertThat(hub.metrics()).allSatisfy(m -> assertThat(m.dropped()).isZero());
    }

    @Test
    void close_withStuckHandler_givesUpAfterTheTimeout_countsTheRestAsDropped_andStopsTheThread() throws Exception {
        StreamHub hub = newHub();
        CountDownLatch entered = new CountDownLatch(1);
        Subscription s = hub.subscribe(Topic.READINGS, SubscriberOptions.builder().capacity(64).build(), r -> {
            entered.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < 10; i++) {
            hub.publish(Topic.READINGS, reading(0, i));
        }
        assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(hub.close(Duration.ofMillis(200))).isFalse();
        // close() gives the interrupted worker 1 s to end; a stalled CI machine may need longer to schedule it,
        // and the interrupted handler's message is counted only when it returns.
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(hubThreads()).isEmpty());
        SubscriberMetrics m = s.metrics();
        assertThat(m.delivered() + m.failed() + m.dropped()).isEqualTo(10);
        assertThat(m.dropped()).isEqualTo(9);
    }

    @Test
    void publishAfterClose_isRejected() {
        StreamHub hub = newHub();
        hub.subscribe(Topic.READINGS, r -> { });
        hub.close();
        assertThatThrownBy(() -> hub.publish(Topic.READINGS, reading(0, 0)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> hub.subscribe(Topic.READINGS, r -> { }))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void subscriptionClose_stopsDeliveryToThatSubscriberOnly() throws Exception {
        StreamHub hub = newHub();
        AtomicLong a = new AtomicLong();
        AtomicLong b = new AtomicLong();
        Subscription sa = hub.subscribe(Topic.READINGS, r -> a.incrementAndGet());
        Subscription sb = hub.subscribe(Topic.READINGS, r -> b.incrementAndGet());
        hub.publish(Topic.READINGS, reading(0, 0));
        sa.close();
        sa.close();
        hub.publish(Topic.READINGS, reading(0, 1));
        assertThat(sb.awaitIdle(WAIT)).isTrue();
        assertThat(a.get()).isEqualTo(1);
        assertThat(b.get()).isEqualTo(2);
        assertThat(hub.metrics()).extracting(SubscriberMetrics::subscriber).containsExactly(sb.name());
    }

    @Test
    void topicsAreSeparate_andTyped() throws Exception {
        StreamHub hub = newHub();
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        Topic<String> notes = Topic.of("notes", String.class, s -> s.substring(0, s.indexOf(':')));
        Subscription s = hub.subscribe(notes, got::add);
        AtomicLong readings = new AtomicLong();
        Subscription r = hub.subscribe(Topic.READINGS, x -> readings.incrementAndGet());
        hub.publish(notes, "PUMP_1:hello");
        hub.publish(Topic.READINGS, reading(0, 0));
        assertThat(s.awaitIdle(WAIT)).isTrue();
        assertThat(r.awaitIdle(WAIT)).isTrue();
        assertThat(got).containsExactly("PUMP_1:hello");
        assertThat(readings.get()).isEqualTo(1);
        Topic<Integer> clash = Topic.of("notes", Integer.class, i -> "X");
        assertThatThrownBy(() -> hub.subscribe(clash, i -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("notes");
        assertThatThrownBy(() -> hub.publish(clash, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("notes");
    }

    @Test
    void subscriberNamesAreUnique() {
        StreamHub hub = newHub();
        hub.subscribe(Topic.READINGS, SubscriberOptions.builder().name("dash").build(), r -> { });
        assertThatThrownBy(() -> hub.subscribe(Topic.PREDICTIONS, SubscriberOptions.builder().name("dash").build(),
                p -> { })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'dash'");
    }

    @Test
    void lanes_spreadDevicesOverWorkers_andKeepPerDeviceOrder() throws Exception {
        StreamHub hub = newHub();
        int devices = 50;
        ConcurrentHashMap<Integer, Long> next = new ConcurrentHashMap<>();
        AtomicReference<String> violation = new AtomicReference<>();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        Subscription s = hub.subscribe(Topic.READINGS, SubscriberOptions.builder().lanes(4).capacity(256).build(), r -> {
            threads.add(Thread.currentThread().getName());
            long expected = next.getOrDefault(deviceOf(r), 0L);
            if (seqOf(r) != expected) {
                violation.compareAndSet(null, r.deviceId() + " expected " + expected + " got " + seqOf(r));
            }
            next.put(deviceOf(r), seqOf(r) + 1);
        });
        for (int i = 0; i < 2000; i++) {
            for (int d = 0; d < devices; d++) {
                hub.publish(Topic.READINGS, reading(d, i));
            }
        }
        assertThat(s.awaitIdle(WAIT)).isTrue();
        assertThat(violation.get()).isNull();
        assertThat(s.metrics().delivered()).isEqualTo(100_000);
        assertThat(threads).hasSizeGreaterThan(1);
    }

    @Test
    void metrics_showQueueDepthAndLagWhileASubscriberIsBehind() throws Exception {
        StreamHub hub = newHub();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Subscription s = hub.subscribe(Topic.READINGS, SubscriberOptions.builder().name("behind").capacity(128).build(),
                r -> {
                    entered.countDown();
                    await(release);
                });
        hub.publish(Topic.READINGS, reading(0, 0));
        assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= 20; i++) {
            hub.publish(Topic.READINGS, reading(0, i));
        }
        SubscriberMetrics m = s.metrics();
        assertThat(m.subscriber()).isEqualTo("behind");
        assertThat(m.topic()).isEqualTo("readings");
        assertThat(m.queueDepth()).isEqualTo(20);
        assertThat(m.lag()).isEqualTo(21);
        assertThat(m.delivered()).isZero();
        release.countDown();
        assertThat(s.awaitIdle(WAIT)).isTrue();
        assertThat(s.metrics().delivered()).isEqualTo(21);
    }

    @Test
    void unsupportedOverflowPolicies_areRefusedAtSubscribe_namingThePolicy() {
        StreamHub hub = newHub();
        for (Overflow o : Overflow.values()) {
            SubscriberOptions options = SubscriberOptions.builder().name("o-" + o.name().toLowerCase(Locale.ROOT))
                    .overflow(o).build();
            if (supportedOverflows().contains(o)) {
                assertThat(hub.subscribe(Topic.READINGS, options, r -> { }).name()).isEqualTo(options.name());
            } else {
                assertThatThrownBy(() -> hub.subscribe(Topic.READINGS, options, r -> { }))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(o.name());
            }
        }
    }

    @Test
    void aNewSubscriber_seesEarlierMessagesOnlyOnADurableLog() throws Exception {
        StreamHub hub = newHub();
        AtomicLong first = new AtomicLong();
        Subscription early = hub.subscribe(Topic.READINGS, SubscriberOptions.builder().name("early").build(),
                r -> first.incrementAndGet());
        hub.publish(Topic.READINGS, reading(0, 0));
        assertThat(early.awaitIdle(WAIT)).isTrue();
        List<Long> seen = Collections.synchronizedList(new ArrayList<>());
        Subscription late = hub.subscribe(Topic.READINGS, SubscriberOptions.builder().name("late").build(),
                r -> seen.add(seqOf(r)));
        hub.publish(Topic.READINGS, reading(0, 1));
        assertThat(late.awaitIdle(WAIT)).isTrue();
        assertThat(early.awaitIdle(WAIT)).isTrue();
        assertThat(first.get()).isEqualTo(2);
        if (retainsPublishedMessages()) {
            assertThat(seen).containsExactly(0L, 1L);
        } else {
            assertThat(seen).containsExactly(1L);
        }
    }

    /** @return the live threads whose names start with {@link #threadNamePrefix()} */
    protected final List<Thread> hubThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(threadNamePrefix())).toList();
    }

    /**
     * Waits for a latch inside a handler, keeping the interrupt for the hub's worker.
     *
     * @param latch the latch to wait for
     */
    protected static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
