package io.iotpm.ml.cmapss;

import io.iotpm.core.Channel;
import io.iotpm.core.FailureEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.ml.TrainingSet;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Reads the C-MAPSS text format: space-separated rows {@code unit cycle setting1..3 s1..s21}, no
 * header. Unit {@code u} becomes device {@code engine_NNN} (test files: {@code test_engine_NNN}),
 * cycle {@code c} becomes {@link #START} plus {@code c} {@link #CYCLE}s, and the last cycle of each
 * training unit becomes a {@link FailureEvent} (mode {@code hpc_degradation} unless given).
 */
public final class Cmapss {

    /** Timestamp of cycle 0. */
    public static final Instant START = Instant.parse("2000-01-01T00:00:00Z");
    /** Time between two cycles (a flight; its real length is not in the data). */
    public static final Duration CYCLE = Duration.ofHours(1);

    private static final int COLUMNS = 26;
    private static final SensorSchema SCHEMA = buildSchema();

    private Cmapss() {
    }

    /** Training engines run to failure: readings, one failure event per engine, as a training set. */
    public record Training(List<SensorReading> readings, List<FailureEvent> failures) {
        /** @return the readings labelled by the failures */
        public TrainingSet toTrainingSet() {
            return TrainingSet.of(readings, failures);
        }
    }

    /**
     * One test engine, cut off before failure.
     *
     * @param deviceId    {@code test_engine_NNN}
     * @param readings    its cycles, oldest first
     * @param trueRul     remaining cycles after the last one (from the RUL file)
     */
    public record TestEngine(String deviceId, List<SensorReading> readings, int trueRul) {
    }

    /** @return the schema: {@code setting1..setting3}, {@code s1..s21} (wide ranges; units not published) */
    public static SensorSchema schema() {
        return SCHEMA;
    }

    private static SensorSchema buildSchema() {
        SensorSchema.Builder b = SensorSchema.builder("cmapss");
        for (int i = 1; i <= 3; i++) {
            b.channel(Channel.builder("setting" + i).normalRange(-1e6, 1e6).physicalRange(-1e6, 1e6));
        }
        for (int i = 1; i <= 21; i++) {
            b.channel(Channel.builder("s" + i).normalRange(-1e6, 1e6).physicalRange(-1e6, 1e6));
        }
        return b.build();
    }

    /**
     * Reads a training file.
     *
     * @param file    e.g. {@code train_FD001.txt}
     * @param mode    failure mode of the events, e.g. {@code hpc_degradation}
     * @return readings and failure events
     * @throws IOException on a read error or a malformed line (naming file and line)
     */
    public static Training readTraining(Path file, String mode) throws IOException {
        List<SensorReading> readings = new ArrayList<>();
        Map<String, SensorReading> last = new LinkedHashMap<>();
        read(file, "engine_", (id, r) -> {
            readings.add(r);
            last.put(id, r);
        });
        List<FailureEvent> failures = new ArrayList<>();
        last.forEach((id, r) -> failures.add(new FailureEvent(id, r.timestamp(), mode)));
        return new Training(readings, failures);
    }

    /**
     * Reads a test file and its RUL file.
     *
     * @param file    e.g. {@code test_FD001.txt}
     * @param rulFile e.g. {@code RUL_FD001.txt}: one integer per test engine, in unit order
     * @return the test engines in unit order
     * @throws IOException on a read error, a malformed line, or a RUL count that does not match
     */
    public static List<TestEngine> readTest(Path file, Path rulFile) throws IOException {
        Map<String, List<SensorReading>> byUnit = new LinkedHashMap<>();
        read(file, "test_engine_", (id, r) -> byUnit.computeIfAbsent(id, k -> new ArrayList<>()).add(r));
        List<Integer> ruls = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(rulFile, StandardCharsets.US_ASCII)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            try {
                ruls.add(Integer.parseInt(line.trim()));
            } catch (NumberFormatException e) {
                throw new IOException(rulFile + ":" + lineNo + ": not an integer RUL: '" + line.trim() + "'");
            }
        }
        if (ruls.size() != byUnit.size()) {
            throw new IOException(rulFile + " has " + ruls.size() + " RUL values, but " + file + " has "
                    + byUnit.size() + " engines");
        }
        List<TestEngine> out = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, List<SensorReading>> e : byUnit.entrySet()) {
            out.add(new TestEngine(e.getKey(), List.copyOf(e.getValue()), ruls.get(i++)));
        }
        return out;
    }

    private static void read(Path file, String prefix, BiConsumer<String, SensorReading> sink) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            String line;
            int lineNo = 0;
            double[] v = new double[COLUMNS - 2];
            int prevUnit = -1;
            int prevCycle = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                String trimmed = line.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                String[] f = trimmed.split("\\s+");
                if (f.length != COLUMNS) {
                    throw new IOException(file + ":" + lineNo + ": expected " + COLUMNS + " columns, found " + f.length);
                }
                int unit;
                int cycle;
                try {
                    unit = Integer.parseInt(f[0]);
                    cycle = Integer.parseInt(f[1]);
                    for (int k = 2; k < COLUMNS; k++) {
                        v[k - 2] = Double.parseDouble(f[k]);
                    }
                } catch (NumberFormatException e) {
                    throw new IOException(file + ":" + lineNo + ": not a number: " + e.getMessage());
                }
                if (unit < 1 || unit > 999 || cycle < 1) {
                    throw new IOException(file + ":" + lineNo + ": unit must be 1..999 and cycle >= 1, but were "
                            + unit + " and " + cycle);
                }
                if (unit == prevUnit && cycle <= prevCycle) {
                    throw new IOException(file + ":" + lineNo + ": cycle " + cycle + " of unit " + unit
                            + " does not follow cycle " + prevCycle);
                }
                prevUnit = unit;
                prevCycle = cycle;
                String id = prefix + String.format(Locale.ROOT, "%03d", unit);
                try {
                    sink.accept(id, SensorReading.of(id, START.plus(CYCLE.multipliedBy(cycle)), SCHEMA, v));
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + ":" + lineNo + ": " + e.getMessage(), e);
                }
            }
        }
    }
}
