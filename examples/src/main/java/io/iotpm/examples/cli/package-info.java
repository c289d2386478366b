/**
 * The {@code ./iotpm} command line on picocli: {@link io.iotpm.examples.cli.IotpmCli} is the entry
 * point (the only {@code System.exit}); each {@code *Command} is one subcommand that parses its
 * options and prints, and {@code demo} strings short versions of the others into a tour.
 * Not library API.
 */
package io.iotpm.examples.cli;
