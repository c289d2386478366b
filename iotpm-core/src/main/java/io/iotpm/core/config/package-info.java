/**
 * Configuration: {@link io.iotpm.core.config.IotpmConfig} reads typed, validated settings from the
 * builder, system properties and the environment (the original system's variable names).
 */
package io.iotpm.core.config;
