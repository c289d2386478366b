/**
 * The iotpm test kit, published so a host's own plugins are held to the same behaviour as the
 * built-in ones: one abstract contract suite per SPI ({@code storage}, {@code stream},
 * {@code predictor}) and a {@link io.iotpm.test.MutableClock} that tests move by hand. Tests wait
 * for a condition with Awaitility ({@code await().atMost(...).untilAsserted(...)}), which the kit
 * brings along, instead of a hand-written polling loop.
 */
package io.iotpm.test;
