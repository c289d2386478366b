package io.iotpm.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * The {@code ./iotpm} command line: the demo and one subcommand per capability, mirroring the
 * original system's {@code main_demo.py [data|model|api|dashboard|streaming|alert]}. Unknown options
 * and typos are errors with a suggestion; {@code --help} on any subcommand prints its usage and
 * starts nothing.
 */
@Command(name = "iotpm", mixinStandardHelpOptions = true, versionProvider = IotpmCli.Version.class,
        synopsisSubcommandLabel = "<subcommand>", commandListHeading = "%nSubcommands:%n",
        description = "IoT predictive maintenance: the demo and one subcommand per capability.",
        subcommands = {HelpCommand.class, DemoCommand.class, DataCommand.class, StorageCommand.class,
                StreamingCommand.class, AlertCommand.class, ModelCommand.class, CmapssCommand.class,
                TensorFlowCommand.class, ApiCommand.class, DashboardCommand.class, ConfigCommand.class,
                MqttCommand.class, KafkaCommand.class, AnomalyCommand.class})
public final class IotpmCli implements Callable<Integer> {

    /** Exit code of a bad command line or a rejected option value. */
    static final int USAGE = 2;

    private final PrintStream out;
    private final PrintStream err;

    @Spec
    private CommandSpec spec;

    private IotpmCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * Runs a subcommand and exits with its code; the only {@code System.exit} of the CLI.
     *
     * @param argv subcommand and its arguments
     */
    public static void main(String[] argv) {
        System.exit(run(System.out, System.err, argv));
    }

    /**
     * Runs a subcommand.
     *
     * @param out  where results go
     * @param err  where usage errors and failures go
     * @param argv subcommand and its arguments
     * @return the exit code: 0 on success, 2 for a bad command line or option value, 1 for a failure
     */
    public static int run(PrintStream out, PrintStream err, String... argv) {
        CommandLine cli = new CommandLine(new IotpmCli(out, err));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setUsageHelpWidth(120);
        cli.setExecutionExceptionHandler((e, command, parseResult) -> {
            // As before picocli: a rejected value is a usage error, anything else a failure.
            boolean usage = e instanceof IllegalArgumentException;
            err.println("iotpm " + command.getCommandName() + ": " + (usage ? e.getMessage() : e));
            return usage ? USAGE : 1;
        });
        return cli.execute(argv);
    }

    /** @return where subcommands print their results */
    PrintStream out() {
        return out;
    }

    /** Without a subcommand: the usage, as an error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(err, CommandLine.Help.Ansi.OFF);
        return USAGE;
    }

    /** The project version, filtered into {@code iotpm-version.properties} by the build. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = IotpmCli.class.getResourceAsStream("/iotpm-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"iotpm " + p.getProperty("version", "dev")};
        }
    }
}
