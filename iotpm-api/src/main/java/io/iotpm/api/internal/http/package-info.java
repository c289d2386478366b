/**
 * Not API: may change in any release. The Javalin application: {@link io.iotpm.api.internal.http.ApiServer}
 * owns it and its threads; {@code ServerSetup} adds the security headers, body limit, role check and JSON
 * error mapping; {@code ApiContext} is what the route handlers share. One handler class per resource
 * ({@code DeviceHandlers}, {@code AlertHandlers}, {@code TrainingJobs}, ...); {@code LiveStream} fans
 * events out to Server-Sent-Events clients.
 */
package io.iotpm.api.internal.http;
