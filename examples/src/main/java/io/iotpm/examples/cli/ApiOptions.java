package io.iotpm.examples.cli;

import io.iotpm.core.config.IotpmConfig;
import picocli.CommandLine.Option;

/** The options {@code ./iotpm api} and {@code ./iotpm dashboard} share. */
final class ApiOptions {

    @Option(names = "--devices", defaultValue = "5", description = "simulated devices streaming into storage")
    int devices;

    @Option(names = "--hours", defaultValue = "48", description = "hours of history stored before serving")
    int hours;

    @Option(names = "--port", description = "port to listen on (default: API_PORT/PORT, else 5000; 0 = any free port)")
    Integer port;

    /** @return the port option, else the configured API port */
    int port(IotpmConfig config) {
        return port != null ? port : config.apiPort();
    }
}
