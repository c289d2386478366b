/**
 * The fleet-scale end-to-end benchmark: devices over MQTT (mosquitto) into the hub and the monitoring
 * pipeline (SQLite, default alert rules, LSTM), beside mosquitto's raw pub/sub throughput. A main
 * class, not JMH: it runs minutes with several processes and threads, and reports loss and latency.
 */
package io.iotpm.benchmarks.mqtt;
