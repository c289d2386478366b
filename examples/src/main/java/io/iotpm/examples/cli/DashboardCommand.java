package io.iotpm.examples.cli;

import io.iotpm.api.auth.UserStore;
import io.iotpm.core.config.IotpmConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * {@code ./iotpm dashboard}: the web dashboard, as the original {@code main_demo.py dashboard}. The
 * dashboard is static files served by the API server itself, so this is {@code ./iotpm api} (simulated
 * devices streamed into storage, demo mode unless {@code SECRET_KEY} and {@code IOTPM_USERS} are set)
 * plus the address to open and the credentials to log in with.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "web dashboard (live, analysis, model, settings) over simulated devices, until Ctrl-C")
final class DashboardCommand implements Callable<Integer> {

    @ParentCommand
    private IotpmCli cli;

    @Mixin
    private ApiOptions options;

    @Override
    public Integer call() throws Exception {
        PrintStream out = cli.out();
        IotpmConfig config = IotpmConfig.fromEnvironment();
        int port = options.port(config);
        boolean configured = config.secretKey() != null && System.getenv(UserStore.ENV_VARIABLE) != null;
        String host = config.get(IotpmConfig.API_HOST);
        if (host.equals("0.0.0.0")) {
            host = "127.0.0.1";
        } else if (host.contains(":")) {
            host = "[" + host + "]";
        }
        out.println("iotpm dashboard: open " + (port == 0 ? "the server address printed below"
                : "http://" + host + ":" + port + "/") + " in a browser");
        out.println(configured ? "  log in with a user from " + UserStore.ENV_VARIABLE
                : "  log in as admin / password123 (may change settings and train), operator / operator123"
                        + " (acknowledges alerts) or viewer / viewer123 (read-only)");
        out.println();
        return ApiCommand.serve(options, config, out);
    }
}
