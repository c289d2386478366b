package io.iotpm.examples.cli;

import io.iotpm.core.config.IotpmConfig;
import io.iotpm.core.config.Setting;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/** {@code ./iotpm config}: the effective settings, where each came from, secrets masked. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "show the effective settings (builder > -Diotpm.x > environment > default)")
final class ConfigCommand implements Callable<Integer> {

    @ParentCommand
    private IotpmCli cli;

    @Override
    public Integer call() {
        PrintStream out = cli.out();
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
