package io.iotpm.kafka;

import io.iotpm.core.pipeline.MonitoringPipeline;
import io.iotpm.core.pipeline.PipelineMetrics;
import io.iotpm.storage.postgres.PostgresStorage;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * One scale-out pipeline in a JVM of its own, for the fault test: a Kafka hub, PostgreSQL storage
 * and a MonitoringPipeline in the shared consumer group. Prints {@code READY} once it joined, then
 * a {@code STATUS} line every 500 ms; a SIGTERM closes it in order, a SIGKILL is the crash the test
 * wants.
 *
 * <p>Arguments: bootstrap servers, topic prefix, PostgreSQL port, database, user, password, name.
 */
public final class PipelineNode {

    private PipelineNode() {
    }

    /**
     * @param args see the class comment
     * @throws InterruptedException never in practice: the JVM ends by a signal
     */
    public static void main(String[] args) throws InterruptedException {
        String ns = args[1];
        KafkaStreamHub hub = KafkaStreamHub.builder().bootstrapServers(args[0]).topicPrefix(ns).groupId(ns + "g")
                .schema(ContiguousWindowPredictor.SCHEMA).partitions(12).commitInterval(Duration.ofMillis(500))
                .build();
        PostgresStorage store = PostgresStorage.builder("127.0.0.1", Integer.parseInt(args[2]), args[3])
                .user(args[4]).password(args[5]).build();
        MonitoringPipeline pipeline = MonitoringPipeline.builder().hub(hub).storage(store)
                .predictor(new ContiguousWindowPredictor()).name("pipe").batchTime(Duration.ofMillis(50))
                .predictEveryReadings(5).predictionDelay(Duration.ofMillis(50)).build().start();
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pipeline.close();
            hub.close();
            store.close();
            done.countDown();
        }));
        System.out.println("READY " + args[6]);
        while (!done.await(500, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            PipelineMetrics m = pipeline.metrics();
            long lag = hub.metrics().stream().mapToLong(s -> s.lag()).sum();
            System.out.println("STATUS " + args[6] + " received=" + m.readingsReceived() + " stored="
                    + m.readingsStored() + " redelivered=" + pipeline.readingsRedelivered() + " predictions="
                    + m.predictions() + " predictorErrors=" + m.predictorErrors() + " devices=" + m.devices()
                    + " lag=" + lag);
        }
    }
}
