/**
 * The iotpm REST API, embeddable in a host application. {@link io.iotpm.api.IotpmServer} is the server
 * (Javalin on Jetty): {@link io.iotpm.api.IotpmServer#builder()} configures it, {@code start()} binds the
 * port, {@code close()} stops every thread it started.
 *
 * <p>Beside it: {@link io.iotpm.api.auth} says who may call it (users, roles, password hashes) and
 * {@link io.iotpm.api.training} how {@code POST /api/model/train} trains a model. The routes, tokens and
 * live stream live in {@code io.iotpm.api.internal}, which is not API.
 */
package io.iotpm.api;
