package io.iotpm.examples.showcase;

import io.iotpm.core.FailureEvent;
import io.iotpm.core.HealthStatus;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.sim.Fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Simulate: a fleet of industrial motors, each a seeded {@code SensorSimulator} with the ten seed
 * channels, some developing faults that end in failure events. The same seed gives the same readings.
 */
public final class SimulateExample {

    private SimulateExample() {
    }

    /**
     * What the simulation produced.
     *
     * @param readings every reading, device by device in time order
     * @param failures the failure events (the labels a model learns from)
     * @param statuses how many readings had each health status
     */
    public record Result(List<SensorReading> readings, List<FailureEvent> failures, Map<HealthStatus, Long> statuses) {
    }

    /**
     * Simulates {@code devices} motors for {@code span} at one reading per minute.
     *
     * @param devices how many motors
     * @param span    how much history
     * @param seed    the seed of every random process
     * @return the readings, the failures and a status count
     */
    public static Result run(int devices, Duration span, long seed) {
        Fleet fleet = Fleet.builder()
                .devices(devices).idPrefix("PUMP_").schema(SensorSchema.industrialMotor())
                .failureProbability(0.5).seed(seed).interval(Duration.ofMinutes(1))
                .start(Instant.parse("2026-01-01T00:00:00Z"))
                .build();
        List<SensorReading> readings = fleet.history(span).toList();

        Map<HealthStatus, Long> statuses = new EnumMap<>(HealthStatus.class);
        for (SensorReading r : readings) {
            statuses.merge(r.status(), 1L, Long::sum);   // health and status are the simulator's ground truth
        }
        List<FailureEvent> failures = fleet.events().stream()   // failures and repairs, in time order
                .filter(FailureEvent.class::isInstance).map(FailureEvent.class::cast).toList();
        return new Result(readings, failures, statuses);
    }

    /**
     * Prints a week of ten motors.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        Result r = run(10, Duration.ofDays(7), 42);
        System.out.println(r.readings().size() + " readings, statuses " + r.statuses() + ", failures:");
        for (FailureEvent e : r.failures()) {
            System.out.println("  " + e);
        }
    }
}
