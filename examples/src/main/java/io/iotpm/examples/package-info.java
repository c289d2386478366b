/**
 * Runnable examples, not library API. {@link io.iotpm.examples.showcase} has one small lesson per
 * capability (simulate, store, stream, alert, train, serve, export) to copy into a host app;
 * {@link io.iotpm.examples.jsonl} and {@link io.iotpm.examples.rules} are plugin examples; and
 * {@link io.iotpm.examples.cli} is the {@code ./iotpm} command line.
 */
package io.iotpm.examples;
