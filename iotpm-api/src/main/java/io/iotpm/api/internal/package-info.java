/**
 * Not API: may change in any release. What the internal packages share: the server's resolved
 * {@link io.iotpm.api.internal.ServerSettings}, the {@link io.iotpm.api.internal.ApiException} a request
 * ends with (rendered as the JSON error body) and the strict {@link io.iotpm.api.internal.Json} codec.
 * {@code internal.auth} issues tokens and throttles logins; {@code internal.http} is the Javalin app and
 * its routes.
 */
package io.iotpm.api.internal;
