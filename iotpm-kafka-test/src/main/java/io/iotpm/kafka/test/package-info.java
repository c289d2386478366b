/**
 * {@link io.iotpm.kafka.test.KafkaBroker}: one Apache Kafka node in KRaft mode (broker and
 * controller combined) running inside the calling JVM, for tests and the embedded
 * {@code ./iotpm kafka} demo. It listens on free loopback ports and keeps its log in a temporary
 * folder unless given one, and can be stopped and started again on the same folder and ports.
 */
package io.iotpm.kafka.test;
