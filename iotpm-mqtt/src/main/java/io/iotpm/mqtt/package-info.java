/**
 * MQTT at the edge of iotpm: {@link io.iotpm.mqtt.MqttIngest} takes device readings from a broker into a
 * {@code StreamHub} (QoS 1, persistent session, acknowledged only once the hub took them),
 * {@link io.iotpm.mqtt.MqttPublisher} sends predictions and alerts back to {@code devices/{id}/...}, and
 * {@link io.iotpm.mqtt.MqttDeviceFleet} is a fleet of simulated devices publishing over MQTT.
 */
package io.iotpm.mqtt;
