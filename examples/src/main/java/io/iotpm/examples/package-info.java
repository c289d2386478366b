/**
 * Runnable examples: the {@code ./iotpm} command line ({@link io.iotpm.examples.IotpmCli}) with the
 * demo and one subcommand per capability. Not library API.
 */
package io.iotpm.examples;
