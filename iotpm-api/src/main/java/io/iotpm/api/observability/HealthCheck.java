package io.iotpm.api.observability;

import java.util.Objects;

/**
 * One part of {@code GET /api/health/ready}: is this dependency usable now? Runs on a server thread with a time
 * limit ({@link Observability.Builder#checkTimeout}); a check that throws or overruns counts as down.
 *
 * <pre>{@code
 * Observability.builder().check("kafka", () -> producer.partitionsFor(topic).isEmpty()
 *         ? HealthCheck.Result.down("no partitions for " + topic) : HealthCheck.Result.up("connected"))
 * }</pre>
 */
@FunctionalInterface
public interface HealthCheck {

    /**
     * @return whether the dependency is usable, with a short detail for the operator (no secrets)
     * @throws Exception if the check itself fails; reported as down with the exception's message
     */
    Result check() throws Exception;

    /**
     * Adapts a probe of a module that cannot know this type (iotpm-kafka's {@code KafkaStreamHub.readiness},
     * iotpm-mqtt's {@code MqttIngest.readiness}): it returns a detail when the dependency is usable and throws when
     * it is not.
     *
     * <pre>{@code
     * Observability.builder().check("kafka", HealthCheck.of(hub.readiness(Duration.ofSeconds(1))))
     * }</pre>
     *
     * @param probe the probe
     * @return a check that is up with the probe's detail, or down with its exception's message
     */
    static HealthCheck of(java.util.concurrent.Callable<String> probe) {
        java.util.Objects.requireNonNull(probe, "probe");
        return () -> {
            try {
                return Result.up(String.valueOf(probe.call()));
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                return Result.down(e.getMessage() == null ? e.toString() : e.getMessage());
            }
        };
    }

    /**
     * The outcome of one check.
     *
     * @param up     whether the dependency is usable
     * @param detail a short explanation for the operator
     */
    record Result(boolean up, String detail) {

        /** @throws NullPointerException if the detail is null */
        public Result {
            Objects.requireNonNull(detail, "detail");
        }

        /**
         * @param detail a short explanation
         * @return a passing result
         */
        public static Result up(String detail) {
            return new Result(true, detail);
        }

        /**
         * @param detail why it is not usable
         * @return a failing result
         */
        public static Result down(String detail) {
            return new Result(false, detail);
        }
    }
}
