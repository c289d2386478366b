package io.iotpm.benchmarks;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.EventTranslatorOneArg;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.stream.Overflow;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.core.stream.SubscriberOptions;
import io.iotpm.core.stream.Topic;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Publish→deliver throughput of the in-memory {@link StreamHub} beside two raw baselines in the
 * same run: an {@link ArrayBlockingQueue} hand-off per subscriber and an LMAX Disruptor ring.
 *
 * <p>{@code pairs = 1}: one producer, one subscriber. {@code pairs = 2}: two producers, two
 * subscribers, each subscriber sees every message. One operation is one message published and
 * delivered to every subscriber; an invocation publishes {@value #BATCH} messages, split evenly
 * over the producers, and returns when every subscriber has them all. Queues hold {@value #CAPACITY} messages and block
 * when full (lossless) in all three.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(java.util.concurrent.TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StreamBenchmark {

    static final int BATCH = 100_000;
    static final int CAPACITY = 8192;

    @Param({"1", "2"})
    public int pairs;

    private SensorReading reading;
    private final List<AtomicLong> received = new ArrayList<>();
    private long expected;
    private Helpers helpers;

    // hub
    private StreamHub hub;
    // ArrayBlockingQueue
    private List<ArrayBlockingQueue<SensorReading>> queues;
    private List<Thread> queueThreads;
    // Disruptor
    private Disruptor<Slot> disruptor;
    private RingBuffer<Slot> ring;

    /** A Disruptor slot. */
    public static final class Slot {
        SensorReading value;
    }

    private static final EventTranslatorOneArg<Slot, SensorReading> PUT = (slot, seq, r) -> slot.value = r;

    @Setup(Level.Trial)
    public void setUp(org.openjdk.jmh.infra.BenchmarkParams params) {
        reading = SensorReading.of("PUMP_001", Instant.parse("2026-01-01T00:00:00Z"), SensorSchema.industrialMotor(),
                65, 0.5, 0.4, 0.3, 2.5, 1800, 15, 400, 0.9, 70);
        for (int i = 0; i < pairs; i++) {
            received.add(new AtomicLong());
        }
        String name = params.getBenchmark();
        if (name.endsWith("hub")) {
            hub = StreamHub.inMemory().capacity(CAPACITY).overflow(Overflow.BLOCK).build();
            for (int i = 0; i < pairs; i++) {
                AtomicLong c = received.get(i);
                hub.subscribe(Topic.READINGS, SubscriberOptions.builder().name("bench-" + i).build(),
                        r -> c.lazySet(c.get() + 1));
            }
            helpers = new Helpers(pairs - 1, n -> publishHub(n));
        } else if (name.endsWith("arrayBlockingQueue")) {
            queues = new ArrayList<>();
            queueThreads = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                ArrayBlockingQueue<SensorReading> q = new ArrayBlockingQueue<>(CAPACITY);
                AtomicLong c = received.get(i);
                Thread t = new Thread(() -> {
                    try {
                        while (true) {
                            if (q.take() != null) {
                                c.lazySet(c.get() + 1);
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "abq-consumer-" + i);
                t.setDaemon(true);
                t.start();
                queues.add(q);
                queueThreads.add(t);
            }
            helpers = new Helpers(pairs - 1, n -> publishQueues(n));
        } else {
            disruptor = new Disruptor<>(Slot::new, CAPACITY, r -> {
                Thread t = new Thread(r, "disruptor-consumer");
                t.setDaemon(true);
                return t;
            }, pairs == 1 ? ProducerType.SINGLE : ProducerType.MULTI, new YieldingWaitStrategy());
            @SuppressWarnings({"unchecked", "rawtypes"})
            EventHandler<Slot>[] handlers = new EventHandler[pairs];
            for (int i = 0; i < pairs; i++) {
                AtomicLong c = received.get(i);
                handlers[i] = (slot, seq, end) -> {
                    if (slot.value != null) {
                        c.lazySet(c.get() + 1);
                    }
                };
            }
            disruptor.handleEventsWith(handlers);
            ring = disruptor.start();
            helpers = new Helpers(pairs - 1, n -> publishDisruptor(n));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        helpers.stop();
        if (hub != null) {
            hub.close();
        }
        if (queueThreads != null) {
            queueThreads.forEach(Thread::interrupt);
        }
        if (disruptor != null) {
            disruptor.halt();
        }
    }

    private void publishHub(long n) {
        for (long i = 0; i < n; i++) {
            hub.publish(Topic.READINGS, reading);
        }
    }

    private void publishQueues(long n) {
        try {
            for (long i = 0; i < n; i++) {
                for (ArrayBlockingQueue<SensorReading> q : queues) {
                    q.put(reading);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void publishDisruptor(long n) {
        for (long i = 0; i < n; i++) {
            ring.publishEvent(PUT, reading);
        }
    }

    private void run(LongConsumer publish) {
        expected += BATCH;
        helpers.go();
        publish.accept(BATCH / pairs);
        for (AtomicLong c : received) {
            while (c.get() < expected) {
                Thread.onSpinWait();
            }
        }
    }

    /** The library: {@code hub.publish} to a topic with {@code pairs} BLOCK subscribers. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void hub() {
        run(this::publishHub);
    }

    /** Raw baseline: {@code put} into one {@link ArrayBlockingQueue} per subscriber. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void arrayBlockingQueue() {
        run(this::publishQueues);
    }

    /** Raw baseline: {@code publishEvent} on a Disruptor ring with {@code pairs} event handlers. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void disruptor() {
        run(this::publishDisruptor);
    }

    /**
     * Extra producer threads that each publish their share of {@link #BATCH} messages when the
     * benchmark thread calls {@link #go()}.
     */
    static final class Helpers {
        private final CyclicBarrier start;
        private final List<Thread> threads = new ArrayList<>();

        Helpers(int n, LongConsumer publish) {
            start = new CyclicBarrier(n + 1);
            for (int i = 0; i < n; i++) {
                Thread t = new Thread(() -> {
                    try {
                        while (true) {
                            start.await();
                            publish.accept(BATCH / (n + 1));
                        }
                    } catch (InterruptedException | BrokenBarrierException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "bench-producer-" + i);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
        }

        void go() {
            if (threads.isEmpty()) {
                return;
            }
            try {
                start.await();
            } catch (InterruptedException | BrokenBarrierException e) {
                throw new IllegalStateException(e);
            }
        }

        void stop() {
            threads.forEach(Thread::interrupt);
        }
    }
}
