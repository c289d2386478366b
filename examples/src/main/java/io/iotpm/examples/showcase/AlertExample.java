package io.iotpm.examples.showcase;

import io.iotpm.alerts.Alert;
import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.AlertNotification;
import io.iotpm.alerts.AlertQuery;
import io.iotpm.alerts.AlertRule;
import io.iotpm.alerts.Condition;
import io.iotpm.alerts.Priority;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.SensorSimulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Alert: a rule with hysteresis (fires above 85 °C, resolves below 80 °C), a notifier, and a motor
 * whose temperature runs hot for ten minutes. The manager folds the repeated matches into one alert,
 * notifies once when it fires and once when it resolves, and keeps the history.
 */
public final class AlertExample {

    private AlertExample() {
    }

    /**
     * What the manager did.
     *
     * @param history       every alert, with its state, count of matches and message
     * @param notifications what the notifier was sent, in order: "FIRED ..." and "RESOLVED ..."
     */
    public record Result(List<Alert> history, List<String> notifications) {
    }

    /**
     * Feeds half an hour of one motor, hot from minute 10 to minute 20, through an overheat rule.
     *
     * @param seed the simulator's seed
     * @return the alert history and the notifications
     */
    public static Result run(long seed) {
        SensorSchema schema = SensorSchema.industrialMotor();
        List<String> notifications = Collections.synchronizedList(new ArrayList<>());
        AlertRule overheat = AlertRule.named("overheat")
                .when(Condition.above("temperature", 85))
                .clearWhen(Condition.below("temperature", 80))
                .priority(Priority.HIGH).cooldown(Duration.ofMinutes(15))
                .message("{device_id}: temperature {temperature} °C")
                .build();
        // Notifiers run on their own threads, so a slow SMTP server never blocks process().
        AlertManager alerts = AlertManager.builder().rule(overheat)
                .notifier((AlertNotification n) -> notifications.add(n.event() + " " + n.alert().message()))
                .build();
        List<Alert> history;
        try {
            SensorSimulator motor = SensorSimulator.builder().deviceId("PUMP_001").schema(schema).seed(seed)
                    .failureProbability(0).start(Instant.parse("2026-01-01T00:00:00Z")).build();
            int temperature = schema.indexOf("temperature");
            for (int minute = 0; minute < 30; minute++) {
                SensorReading r = motor.next();
                if (minute >= 10 && minute < 20) {
                    double[] v = r.values();
                    v[temperature] = 90;
                    r = SensorReading.of(r.deviceId(), r.timestamp(), schema, v, r.healthScore());
                }
                alerts.process(r);
            }
            history = alerts.history(AlertQuery.all());
        } finally {
            alerts.close();   // delivers what is still queued before it returns
        }
        synchronized (notifications) {
            return new Result(history, List.copyOf(notifications));
        }
    }

    /**
     * Prints the alert and the notifications.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        Result r = run(42);
        r.history().forEach(System.out::println);
        r.notifications().forEach(System.out::println);
    }
}
