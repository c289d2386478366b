/**
 * The iotpm REST API. {@link io.iotpm.api.IotpmServer} is the embeddable server (Javalin on Jetty);
 * {@link io.iotpm.api.UserStore}, {@link io.iotpm.api.User}, {@link io.iotpm.api.Role} and
 * {@link io.iotpm.api.PasswordHasher} configure who may call it. Everything else is package-private.
 */
package io.iotpm.api;
