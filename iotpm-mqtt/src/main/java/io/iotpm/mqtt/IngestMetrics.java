package io.iotpm.mqtt;

import java.util.Map;

/**
 * A snapshot of {@link MqttIngest}'s counters, for logs and metric binders.
 *
 * @param received     MQTT messages taken from the broker (a redelivered message counts again)
 * @param published    readings the hub accepted
 * @param acknowledged messages acknowledged to the broker: taken by the hub, or rejected as bad
 * @param rejected     rejected messages per reason (every reason present, zero when none)
 * @param deadLettered rejected messages published to the dead-letter topic
 * @param inFlight     messages received but not yet acknowledged (queued or waiting on the hub)
 * @param reconnects   times the connection was re-established after a loss
 */
public record IngestMetrics(long received, long published, long acknowledged, Map<RejectReason, Long> rejected,
                            long deadLettered, int inFlight, long reconnects) {

    /** Copies the map so the snapshot is immutable. */
    public IngestMetrics {
        rejected = Map.copyOf(rejected);
    }

    /** @return rejected messages over all reasons */
    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(Long::longValue).sum();
    }
}
