package io.iotpm.kafka;

import io.iotpm.core.time.Ticker;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * One consumer-group member of a subscriber, on its own thread: polls, hands each record to the
 * subscriber in partition order, and commits the positions of handled records every commit
 * interval, on revocation and at the end, each time only after the subscriber's delivery hook said
 * they are durable. The consumer is touched by this thread only; other threads read the volatile
 * positions for metrics and set the stop flags.
 */
final class ConsumerLane implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaStreamHub.class);
    private static final Duration POLL = Duration.ofMillis(100);

    /** Where one assigned partition stands; written by the lane thread only. */
    static final class PartitionState {
        final TopicPartition tp;
        volatile long next;
        volatile long end;
        long committed;
        long target = -1;

        PartitionState(TopicPartition tp, long position) {
            this.tp = tp;
            this.next = position;
            this.end = position;
            this.committed = position;
        }
    }

    private final KafkaSubscriber<?> sub;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final long commitIntervalNanos;
    final Map<TopicPartition, PartitionState> assigned = new ConcurrentHashMap<>();
    final CountDownLatch firstAssignment = new CountDownLatch(1);
    private volatile boolean draining;
    private volatile boolean aborted;
    // Set before the consumer closes: its revocation then leaves the positions for the final metrics.
    private volatile boolean stopping;
    volatile boolean inHandler;
    private volatile Thread thread;
    private final Ticker ticker;
    private long lastCommit;

    ConsumerLane(KafkaSubscriber<?> sub, KafkaConsumer<byte[], byte[]> consumer, Duration commitInterval, Ticker ticker) {
        this.sub = sub;
        this.consumer = consumer;
        this.commitIntervalNanos = commitInterval.toNanos();
        this.ticker = ticker;
        this.lastCommit = ticker.nanoTime();
    }

    void start(Thread t) {
        thread = t;
        t.start();
    }

    Thread thread() {
        return thread;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(sub.kafkaTopic()), new Listener());
            while (!aborted) {
                if (draining && drained()) {
                    break;
                }
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(POLL);
                } catch (WakeupException | InterruptException e) {
                    Thread.interrupted();
                    continue;
                }
                refreshEnds();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (aborted) {
                        break;
                    }
                    PartitionState st = assigned.get(new TopicPartition(r.topic(), r.partition()));
                    if (st == null || r.offset() < st.next) {
                        continue;
                    }
                    inHandler = true;
                    try {
                        sub.deliver(r, st);
                        // Before inHandler clears: a lag read in between would count the record again.
                        st.next = r.offset() + 1;
                    } finally {
                        inHandler = false;
                    }
                }
                if (ticker.nanoTime() - lastCommit >= commitIntervalNanos) {
                    commit(assigned.values());
                }
            }
            if (!aborted) {
                commit(assigned.values());
            }
        } catch (RuntimeException | Error e) {
            LOG.error("subscriber '{}': consumer stopped", sub.name(), e);
        } finally {
            // The handler may have kept an interrupt meant for it; the consumer must still close.
            Thread.interrupted();
            stopping = true;
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                LOG.debug("subscriber '{}': consumer close failed", sub.name(), e);
            }
            firstAssignment.countDown();
        }
    }

    /** Reads the log end each fetch told the consumer, so lag covers records published elsewhere. */
    private void refreshEnds() {
        for (PartitionState st : assigned.values()) {
            try {
                OptionalLong lag = consumer.currentLag(st.tp);
                if (lag.isPresent()) {
                    long end = consumer.position(st.tp, Duration.ZERO) + lag.getAsLong();
                    if (end > st.end) {
                        st.end = end;
                    }
                }
            } catch (RuntimeException e) {
                // No position yet (just assigned): the next poll will know.
            }
        }
    }

    /** @return whether every partition reached the end it had when draining began */
    private boolean drained() {
        for (PartitionState st : assigned.values()) {
            if (st.target < 0) {
                st.target = sub.endOf(st);
            }
            if (st.next < st.target) {
                return false;
            }
        }
        return true;
    }

    private void commit(Collection<PartitionState> states) {
        lastCommit = ticker.nanoTime();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (PartitionState st : states) {
            if (st.next > st.committed) {
                offsets.put(st.tp, new OffsetAndMetadata(st.next));
            }
        }
        if (offsets.isEmpty() || !sub.beforeCommit()) {
            return;
        }
        try {
            consumer.commitSync(offsets, Duration.ofSeconds(30));
            for (PartitionState st : states) {
                OffsetAndMetadata o = offsets.get(st.tp);
                if (o != null) {
                    st.committed = o.offset();
                }
            }
            sub.committed();
        } catch (WakeupException | InterruptException e) {
            Thread.interrupted();
        } catch (RuntimeException e) {
            // Not committed: a rebalance or an unreachable broker. The records come again to whoever
            // holds the partition next, and the next commit covers them if it is still us.
            LOG.warn("subscriber '{}': offset commit failed: {}", sub.name(), e.toString());
        }
    }

    /** Finish what is known now, commit and stop. */
    void drain() {
        draining = true;
    }

    /** Stop after the record in hand; nothing more is handled or committed. */
    void abort() {
        aborted = true;
        consumer.wakeup();
        Thread t = thread;
        // Only a stuck handler needs the interrupt; the consumer itself is woken up, and an interrupt
        // landing in its close() would only make it log and skip leaving the group politely.
        if (t != null && inHandler) {
            t.interrupt();
        }
    }

    /** @return records of the held partitions not handled yet, against the drain targets once set */
    long lag() {
        long lag = 0;
        for (PartitionState st : assigned.values()) {
            lag += Math.max(0, sub.endOf(st) - st.next);
        }
        return lag;
    }

    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            List<PartitionState> gone = partitions.stream().map(assigned::get).filter(s -> s != null).toList();
            if (!aborted) {
                commit(gone);
            }
            if (!stopping) {
                partitions.forEach(assigned::remove);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (!stopping) {
                partitions.forEach(assigned::remove);
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                assigned.put(tp, new PartitionState(tp, consumer.position(tp)));
            }
            if (!partitions.isEmpty()) {
                sub.reassigned();
            }
            firstAssignment.countDown();
        }
    }
}
