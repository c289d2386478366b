package io.iotpm.storage.redis;

import io.iotpm.core.Channel;
import io.iotpm.core.SensorSchema;


/**
 * The sensor schema as the text kept in the store's metadata hash: one line for the name, then one
 * tab-separated line per channel. Deterministic, so the append script can compare the stored text
 * with a writer's byte for byte; doubles use {@link Double#toString(double)}, which reads back exactly.
 */
final class SchemaText {

    private SchemaText() {
    }

    static String write(SensorSchema s) {
        StringBuilder b = new StringBuilder(escape(s.name()));
        for (Channel c : s.channels()) {
            b.append('\n').append(escape(c.name())).append('\t').append(escape(c.unit()))
                    .append('\t').append(c.nominal()).append('\t').append(c.normalMin()).append('\t').append(c.normalMax())
                    .append('\t').append(c.physicalMin()).append('\t').append(c.physicalMax())
                    .append('\t').append(c.missingAllowed());
        }
        return b.toString();
    }

    /**
     * @param text  what {@link #write(SensorSchema)} wrote
     * @param where the store, for the message
     * @return the schema
     * @throws IllegalStateException naming the store when the text is not a schema
     */
    static SensorSchema read(String text, String where) {
        try {
            String[] lines = text.split("\n", -1);
            SensorSchema.Builder b = SensorSchema.builder(unescape(lines[0]));
            for (int i = 1; i < lines.length; i++) {
                String[] f = lines[i].split("\t", -1);
                if (f.length != 8) {
                    throw new IllegalArgumentException("channel line " + i + " has " + f.length + " fields, not 8");
                }
                b.channel(new Channel(unescape(f[0]), unescape(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                        Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]),
                        Boolean.parseBoolean(f[7])));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("stored sensor schema in " + where + " is not valid: " + e.getMessage(), e);
        }
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 't' ? '\t' : n == 'n' ? '\n' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
