package io.iotpm.kafka.test;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaBrokerTest {

    @Test
    void aPortTakenBeforeTheBrokerBoundIt_isRetriedOnNewPorts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Integer> offered = new ArrayList<>();
            IntSupplier ports = () -> {
                int p = offered.isEmpty() ? taken.getLocalPort() : freePort();
                offered.add(p);
                return p;
            };
            try (KafkaBroker kafka = KafkaBroker.builder().partitions(1).ports(ports).build().start()) {
                assertThat(offered).as("client and controller port, twice").hasSize(4).startsWith(taken.getLocalPort());
                assertThat(kafka.bootstrapServers()).isEqualTo("localhost:" + offered.get(2));
                try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG,
                        "all"), new StringSerializer(), new StringSerializer())) {
                    assertThat(p.send(new ProducerRecord<>("t", "k", "v")).get().offset()).isZero();
                }
            }
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void restartOnTheSameFolder_keepsAcknowledgedRecordsAndTheAddress() throws Exception {
        Path dir;
        try (KafkaBroker kafka = KafkaBroker.builder().partitions(1).build().start()) {
            dir = kafka.logDir();
            String address = kafka.bootstrapServers();
            try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, address, ProducerConfig.ACKS_CONFIG, "all"),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 100; i++) {
                    p.send(new ProducerRecord<>("t", "k", "v" + i)).get();
                }
            }
            kafka.stop();
            assertThat(kafka.isRunning()).isFalse();
            kafka.start();
            assertThat(kafka.bootstrapServers()).isEqualTo(address);
            List<String> got = new ArrayList<>();
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, address, ConsumerConfig.GROUP_ID_CONFIG, "g",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                    new StringDeserializer())) {
                c.subscribe(List.of("t"));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (got.size() < 100 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                        got.add(r.value());
                    }
                }
            }
            assertThat(got).hasSize(100).startsWith("v0").endsWith("v99");
        }
        assertThat(Files.exists(dir)).isFalse();
    }

    @Test
    void aFirstStartThatFails_closesTheBroker_andDeletesItsFolder() {
        KafkaBroker broken = KafkaBroker.builder().config("num.io.threads", "0").build();
        Path dir = broken.logDir();
        assertThatThrownBy(broken::start).hasMessageContaining("num.io.threads");
        assertThat(Files.exists(dir)).isFalse();
        assertThatThrownBy(broken::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void builderChecksValues() {
        assertThatThrownBy(() -> KafkaBroker.builder().partitions(0)).hasMessageContaining("but was 0");
        assertThatThrownBy(() -> KafkaBroker.builder().port(70_000)).hasMessageContaining("70000");
    }
}
