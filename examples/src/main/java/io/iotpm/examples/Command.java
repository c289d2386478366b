package io.iotpm.examples;

import java.io.PrintStream;
import java.util.List;

/** One {@code ./iotpm} subcommand. */
interface Command {

    /** @return the subcommand name, e.g. {@code demo} */
    String name();

    /** @return one line for the usage text */
    String summary();

    /**
     * @param args the arguments after the subcommand name
     * @param out  where to print results
     * @return the process exit code
     * @throws Exception on failure; the CLI prints its message
     */
    int run(Args args, PrintStream out) throws Exception;

    /** Parsed {@code --name value} / {@code --flag} arguments. */
    final class Args {
        private final java.util.Map<String, String> options = new java.util.LinkedHashMap<>();
        private final List<String> positional = new java.util.ArrayList<>();

        Args(List<String> raw) {
            for (int i = 0; i < raw.size(); i++) {
                String a = raw.get(i);
                if (a.startsWith("--")) {
                    String key = a.substring(2);
                    int eq = key.indexOf('=');
                    if (eq >= 0) {
                        options.put(key.substring(0, eq), key.substring(eq + 1));
                    } else if (i + 1 < raw.size() && !raw.get(i + 1).startsWith("--")) {
                        options.put(key, raw.get(++i));
                    } else {
                        options.put(key, "true");
                    }
                } else {
                    positional.add(a);
                }
            }
        }

        String get(String name, String def) {
            return options.getOrDefault(name, def);
        }

        int getInt(String name, int def) {
            String v = options.get(name);
            try {
                return v == null ? def : Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be an integer, but was '" + v + "'");
            }
        }

        double getDouble(String name, double def) {
            String v = options.get(name);
            try {
                return v == null ? def : Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a number, but was '" + v + "'");
            }
        }

        boolean flag(String name) {
            return Boolean.parseBoolean(options.getOrDefault(name, "false"));
        }

        List<String> positional() {
            return positional;
        }
    }
}
