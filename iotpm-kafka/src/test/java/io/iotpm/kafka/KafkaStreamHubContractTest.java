package io.iotpm.kafka;

import io.iotpm.core.stream.Overflow;
import io.iotpm.core.stream.StreamHub;
import io.iotpm.kafka.test.KafkaBroker;
import io.iotpm.test.stream.StreamHubContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The StreamHub contract on a real KRaft broker. Each hub gets topics and groups of its own (a
 * prefix), so tests see fresh logs. Where Kafka deliberately differs, the capability hooks say so:
 * DROP_NEWEST and FAIL are refused (a producer cannot see a consumer's queue), DROP_OLDEST drops
 * when the lagging subscriber reads (its backlog sits in the log meanwhile), and a new subscriber
 * reads what was published before it (a new consumer group starts at the oldest retained record).
 */
class KafkaStreamHubContractTest extends StreamHubContract {

    private static final AtomicInteger HUBS = new AtomicInteger();
    private static KafkaBroker kafka;

    @BeforeAll
    static void startBroker() {
        kafka = KafkaBroker.builder().build().start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Override
    protected StreamHub createHub() {
        String ns = "c" + HUBS.incrementAndGet() + "-";
        return KafkaStreamHub.builder().bootstrapServers(kafka.bootstrapServers()).topicPrefix(ns).groupId(ns + "g")
                .schema(SCHEMA).partitions(3).commitInterval(Duration.ofMillis(200)).build();
    }

    @Override
    protected String threadNamePrefix() {
        return "iotpm-kafka-";
    }

    @Override
    protected Set<Overflow> supportedOverflows() {
        return EnumSet.of(Overflow.BLOCK, Overflow.DROP_OLDEST);
    }

    @Override
    protected boolean dropsWhenPublished() {
        return false;
    }

    @Override
    protected boolean retainsPublishedMessages() {
        return true;
    }
}
