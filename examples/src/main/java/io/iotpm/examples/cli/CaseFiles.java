package io.iotpm.examples.cli;

import io.iotpm.core.DeviceWindow;
import io.iotpm.ml.cmapss.ProtocolCases;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The per-case results of {@code ./iotpm cmapss --cases DIR}: one CSV row per scored window, so every
 * metric the command prints can be recomputed, and its errors looked at engine by engine, without
 * training again.
 */
final class CaseFiles {

    /** File of the RUL protocol's cases. */
    static final String RUL = "rul-cases.csv";
    /** File of the binary protocol's cases. */
    static final String BINARY = "binary-cases.csv";

    private CaseFiles() {
    }

    /**
     * Writes {@code engine,cycles,true_rul,estimate,error,member_1,...}: the truth capped as the
     * protocol caps it, the ensemble's estimate, estimate minus truth, and each member's estimate.
     *
     * @param file     the CSV file, replaced if it exists
     * @param cases    the scored cases
     * @param estimate per case, the ensemble's estimate
     * @param members  per member, its estimate per case
     * @throws IOException on a write error
     * @throws IllegalArgumentException if an array does not hold one value per case
     */
    static void writeRul(Path file, ProtocolCases cases, double[] estimate, List<double[]> members) throws IOException {
        requireOnePerCase(cases, estimate);
        members.forEach(m -> requireOnePerCase(cases, m));
        StringBuilder header = new StringBuilder("engine,cycles,true_rul,estimate,error");
        for (int i = 1; i <= members.size(); i++) {
            header.append(",member_").append(i);
        }
        try (BufferedWriter w = open(file)) {
            w.write(header + "\n");
            for (int c = 0; c < estimate.length; c++) {
                StringBuilder row = start(cases, c).append(',').append(num(estimate[c])).append(',')
                        .append(num(estimate[c] - cases.rul()[c]));
                for (double[] m : members) {
                    row.append(',').append(num(m[c]));
                }
                w.write(row + "\n");
            }
        }
    }

    /**
     * Writes {@code engine,cycles,true_rul,label,score,threshold,decision,outcome}: whether the engine
     * fails within the horizon, the score the decision compares with the threshold, the decision, and
     * {@code TP}, {@code FP}, {@code TN} or {@code FN}.
     *
     * @param file      the CSV file, replaced if it exists
     * @param cases     the scored cases
     * @param score     per case, the score of the binary decision
     * @param threshold the decision threshold: a score at or above it means "fails within the horizon"
     * @throws IOException on a write error
     * @throws IllegalArgumentException if {@code score} does not hold one value per case
     */
    static void writeBinary(Path file, ProtocolCases cases, double[] score, double threshold) throws IOException {
        requireOnePerCase(cases, score);
        try (BufferedWriter w = open(file)) {
            w.write("engine,cycles,true_rul,label,score,threshold,decision,outcome\n");
            for (int c = 0; c < score.length; c++) {
                boolean label = cases.labels()[c];
                boolean decision = score[c] >= threshold;
                String outcome = (decision == label ? "T" : "F") + (decision ? "P" : "N");
                w.write(start(cases, c).append(',').append(label).append(',').append(num(score[c])).append(',')
                        .append(num(threshold)).append(',').append(decision).append(',').append(outcome) + "\n");
            }
        }
    }

    private static BufferedWriter open(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    private static StringBuilder start(ProtocolCases cases, int c) {
        DeviceWindow w = cases.windows().get(c);
        return new StringBuilder(w.deviceId()).append(',').append(w.readings().size()).append(',')
                .append(num(cases.rul()[c]));
    }

    private static void requireOnePerCase(ProtocolCases cases, double[] values) {
        if (values.length != cases.windows().size()) {
            throw new IllegalArgumentException("need one value per case, but got " + values.length + " for "
                    + cases.windows().size() + " cases");
        }
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
