package io.iotpm.alerts;

import io.iotpm.core.Prediction;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A rule's message template, parsed and checked once when the rule is built. {@code {name}} is a
 * placeholder, {@code {{} and {@code }}} are literal braces. Rendering happens only when an alert
 * fires, so it favours clarity over speed.
 */
final class MessageTemplate {

    enum Source { READING, PREDICTION, NO_DATA }

    private static final Set<String> COMMON = Set.of("device_id", "rule", "type", "priority", "value", "count",
            "timestamp", "channel");
    private static final Set<String> PREDICTION = Set.of("failure_probability", "risk_level", "rul",
            "model_version", "maintenance_needed");

    private final String text;
    private final List<Object> parts;   // String literal or Placeholder

    private record Placeholder(String name) {
    }

    /** Everything a placeholder can refer to at render time. */
    record Context(String deviceId, String rule, AlertType type, Priority priority, String channel, double value,
                   long count, Instant timestamp, SensorReading reading, Prediction prediction) {
    }

    private MessageTemplate(String text, List<Object> parts) {
        this.text = text;
        this.parts = parts;
    }

    /**
     * @throws IllegalArgumentException naming the template, the position and the bad placeholder
     */
    static MessageTemplate parse(String text, Source source, SensorSchema schema, String channel) {
        List<Object> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '{' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                lit.append('{');
                i += 2;
            } else if (c == '}' && i + 1 < text.length() && text.charAt(i + 1) == '}') {
                lit.append('}');
                i += 2;
            } else if (c == '}') {
                throw new IllegalArgumentException("message template '" + text + "' has an unmatched '}' at "
                        + i + " (write '}}' for a literal brace)");
            } else if (c == '{') {
                int end = text.indexOf('}', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("message template '" + text + "' has an unclosed '{' at "
                            + i + " (write '{{' for a literal brace)");
                }
                String name = text.substring(i + 1, end);
                check(text, name, source, schema, channel);
                if (lit.length() > 0) {
                    parts.add(lit.toString());
                    lit.setLength(0);
                }
                parts.add(new Placeholder(name));
                i = end + 1;
            } else {
                lit.append(c);
                i++;
            }
        }
        if (lit.length() > 0) {
            parts.add(lit.toString());
        }
        return new MessageTemplate(text, List.copyOf(parts));
    }

    private static void check(String text, String name, Source source, SensorSchema schema, String channel) {
        boolean known = COMMON.contains(name)
                || source == Source.PREDICTION && PREDICTION.contains(name)
                || source == Source.READING && (name.equals("health_score") || schema.has(name));
        if (!known) {
            Set<String> all = new TreeSet<>(COMMON);
            if (source == Source.PREDICTION) {
                all.addAll(PREDICTION);
            }
            if (source == Source.READING) {
                all.add("health_score");
                for (int i = 0; i < schema.size(); i++) {
                    all.add(schema.channelName(i));
                }
            }
            throw new IllegalArgumentException("unknown placeholder {" + name + "} in message template '" + text
                    + "'; known for a " + source.name().toLowerCase(Locale.ROOT).replace('_', '-') + " rule"
                    + (source == Source.READING ? " on schema '" + schema.name() + "'" : "") + ": " + all);
        }
        if (name.equals("channel") && channel == null) {
            throw new IllegalArgumentException("message template '" + text + "' uses {channel}, but the rule watches"
                    + " no single channel; name one with AlertRule.Builder.channel(...)");
        }
    }

    String text() {
        return text;
    }

    String render(Context ctx) {
        StringBuilder b = new StringBuilder(text.length() + 32);
        for (Object p : parts) {
            if (p instanceof String s) {
                b.append(s);
            } else {
                b.append(resolve(((Placeholder) p).name(), ctx));
            }
        }
        return b.toString();
    }

    private static String resolve(String name, Context c) {
        switch (name) {
            case "device_id": return c.deviceId();
            case "rule": return c.rule();
            case "type": return c.type().name();
            case "priority": return c.priority().name();
            case "value": return number(c.value());
            case "count": return Long.toString(c.count());
            case "timestamp": return c.timestamp().toString();
            case "channel": return c.channel();
            default: break;
        }
        Prediction p = c.prediction();
        if (p != null) {
            switch (name) {
                case "failure_probability": return number(p.failureProbability());
                case "risk_level": return p.riskLevel().name();
                case "rul": return number(p.remainingUsefulLife());
                case "model_version": return p.modelVersion();
                case "maintenance_needed": return Boolean.toString(p.maintenanceNeeded());
                default: return "n/a";
            }
        }
        SensorReading r = c.reading();
        if (r == null) {
            return "n/a";
        }
        if (name.equals("health_score")) {
            return number(r.healthScore());
        }
        int i = r.schema().indexOf(name);
        return i < 0 ? "n/a" : number(r.value(i));
    }

    /** Two decimals at most, no trailing zeros, no exponent: 86.5, 0.03, 1800. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        BigDecimal d = BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros();
        return d.signum() == 0 ? "0" : d.toPlainString();
    }
}
