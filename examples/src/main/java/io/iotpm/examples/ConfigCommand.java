package io.iotpm.examples;

import io.iotpm.core.config.IotpmConfig;
import io.iotpm.core.config.Setting;

import java.io.PrintStream;

/** {@code ./iotpm config}: the effective settings, where each came from, secrets masked. */
final class ConfigCommand implements Command {

    @Override
    public String name() {
        return "config";
    }

    @Override
    public String summary() {
        return "show the effective settings (builder > -Diotpm.x > environment > default)";
    }

    @Override
    public int run(Args args, PrintStream out) {
        IotpmConfig config = IotpmConfig.fromEnvironment();
        out.printf("%-22s %-28s %-30s %s%n", "setting", "value", "source", "meaning");
        for (Setting<?> s : IotpmConfig.settings()) {
            Object v = config.get(s);
            String shown = v == null ? "(not set)" : s.secret() ? "***" : String.valueOf(v);
            out.printf("%-22s %-28s %-30s %s%n", s.name(), shown, config.source(s), s.description());
        }
        return 0;
    }
}
