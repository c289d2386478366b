package io.iotpm.examples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code ./iotpm} command line: the demo and one subcommand per capability, mirroring the
 * original system's {@code main_demo.py [data|model|api|dashboard|streaming|alert]}.
 */
public final class IotpmCli {

    private final Map<String, Command> commands = new LinkedHashMap<>();

    IotpmCli() {
        // One line per subcommand, in the order the usage text lists them.
        add(new DemoCommand());
        add(new DataCommand());
        add(new StorageCommand());
        add(new StreamingCommand());
        add(new AlertCommand());
        add(new ModelCommand());
        add(new CmapssCommand());
        add(new TensorFlowCommand());
        add(new ApiCommand());
        add(new DashboardCommand());
        add(new ConfigCommand());
    }

    private void add(Command c) {
        commands.put(c.name(), c);
    }

    /**
     * Runs a subcommand and exits with its code.
     *
     * @param argv subcommand and its arguments
     */
    public static void main(String[] argv) {
        System.exit(new IotpmCli().run(Arrays.asList(argv), System.out, System.err));
    }

    int run(List<String> argv, PrintStream out, PrintStream err) {
        if (argv.isEmpty() || argv.get(0).equals("help") || argv.get(0).equals("--help")) {
            usage(argv.isEmpty() ? err : out);
            return argv.isEmpty() ? 2 : 0;
        }
        Command c = commands.get(argv.get(0));
        if (c == null) {
            err.println("iotpm: unknown subcommand '" + argv.get(0) + "'");
            usage(err);
            return 2;
        }
        try {
            return c.run(new Command.Args(argv.subList(1, argv.size())), out);
        } catch (IllegalArgumentException e) {
            err.println("iotpm " + c.name() + ": " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("iotpm " + c.name() + ": " + e);
            return 1;
        }
    }

    private void usage(PrintStream s) {
        s.println("usage: ./iotpm <subcommand> [options]");
        s.println();
        for (Command c : commands.values()) {
            s.printf("  %-10s %s%n", c.name(), c.summary());
        }
    }
}
