package io.iotpm.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4: every line is a {@code # HELP}, a
 * {@code # TYPE} or a sample of a declared family; label values are properly quoted and escaped; values are
 * floats. Anything else fails the parse with the line.
 */
final class PrometheusText {

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|summary|histogram|untyped)");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(?:\\{(.*)})? (\\S+)(?: -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");
    private static final Set<String> SUFFIXES = Set.of("", "_total", "_count", "_sum", "_bucket", "_created");

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    /** The families by name with their type, and every sample in order. */
    record Exposition(Map<String, String> types, List<Sample> samples) {

        /** @return the samples of this metric name whose labels include {@code labels} */
        List<Sample> find(String name, Map<String, String> labels) {
            return samples.stream().filter(s -> s.name().equals(name)
                    && s.labels().entrySet().containsAll(labels.entrySet())).toList();
        }

        /** @return the value of the one sample of this name with these labels */
        double value(String name, Map<String, String> labels) {
            List<Sample> found = find(name, labels);
            if (found.size() != 1) {
                throw new AssertionError("expected one sample " + name + labels + ", found " + found);
            }
            return found.get(0).value();
        }

        /** @return every sample name */
        Set<String> names() {
            Set<String> out = new java.util.TreeSet<>();
            samples.forEach(s -> out.add(s.name()));
            return out;
        }
    }

    private PrometheusText() {
    }

    static Exposition parse(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        List<Sample> samples = new ArrayList<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            Matcher m;
            if ((m = TYPE.matcher(line)).matches()) {
                if (types.put(m.group(1), m.group(2)) != null) {
                    throw new AssertionError("line " + n + ": family declared twice: " + line);
                }
            } else if (line.startsWith("#")) {
                if (!HELP.matcher(line).matches()) {
                    throw new AssertionError("line " + n + ": malformed comment: " + line);
                }
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                String name = m.group(1);
                if (SUFFIXES.stream().noneMatch(sfx -> name.endsWith(sfx)
                        && types.containsKey(name.substring(0, name.length() - sfx.length())))) {
                    throw new AssertionError("line " + n + ": sample of no declared family: " + line);
                }
                samples.add(new Sample(name, labels(m.group(2), n, line), value(m.group(3), n, line)));
            } else {
                throw new AssertionError("line " + n + ": not a sample: " + line);
            }
        }
        return new Exposition(types, samples);
    }

    private static Map<String, String> labels(String raw, int n, String line) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        Matcher m = LABEL.matcher(raw);
        int at = 0;
        while (at < raw.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new AssertionError("line " + n + ": malformed labels: " + line);
            }
            out.put(m.group(1), m.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\"));
            at = m.end();
        }
        return out;
    }

    private static double value(String raw, int n, String line) {
        return switch (raw) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(raw);
                } catch (NumberFormatException e) {
                    throw new AssertionError("line " + n + ": value is not a float: " + line);
                }
            }
        };
    }
}
