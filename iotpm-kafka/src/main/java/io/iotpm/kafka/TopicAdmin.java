package io.iotpm.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the hub's Kafka topics on first use (partitions and replication factor from the builder;
 * a topic that exists is left as it is) and remembers their partition counts.
 */
final class TopicAdmin implements AutoCloseable {

    private final Admin admin;
    private final int partitions;
    private final Optional<Short> replicationFactor;
    private final Map<String, String> topicConfig;
    private final Map<String, Integer> known = new ConcurrentHashMap<>();

    TopicAdmin(Map<String, Object> clientConfig, int partitions, Optional<Short> replicationFactor,
               Map<String, String> topicConfig) {
        this.admin = Admin.create(clientConfig);
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.topicConfig = topicConfig;
    }

    /**
     * @param topic a Kafka topic name
     * @return its partition count, after creating it if it did not exist
     * @throws IllegalStateException if the cluster does not answer within 60 s
     */
    int ensure(String topic) {
        Integer n = known.get(topic);
        if (n != null) {
            return n;
        }
        try {
            try {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), replicationFactor).configs(topicConfig)))
                        .all().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            int count = describe(topic).partitions().size();
            known.put(topic, count);
            return count;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating Kafka topic '" + topic + "'", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create or describe Kafka topic '" + topic + "': " + e, e);
        }
    }

    /**
     * @param timeout how long the cluster may take to answer
     * @return the brokers the cluster reports
     * @throws ExecutionException   if the cluster cannot be reached
     * @throws TimeoutException     if it does not answer in time
     * @throws InterruptedException if interrupted while waiting
     */
    int brokers(java.time.Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        return admin.describeCluster(new org.apache.kafka.clients.admin.DescribeClusterOptions().timeoutMs(ms))
                .nodes().get(ms, TimeUnit.MILLISECONDS).size();
    }

    private TopicDescription describe(String topic) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return admin.describeTopics(Set.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS).get(topic);
            } catch (ExecutionException e) {
                // A topic just created may not be in every broker's metadata yet.
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
