/**
 * One small, self-contained lesson per capability, each a class with a {@code run(...)} method that
 * returns what it did, so a test can check it and a reader can copy it into a host application:
 * simulate, store, stream, alert, train, serve, export. {@link io.iotpm.examples.showcase.BaselinePredictor}
 * shows a hand-written {@code Predictor}.
 */
package io.iotpm.examples.showcase;
