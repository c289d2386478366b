/**
 * Not API: may change in any release. Authentication machinery behind {@code /api/auth}: the
 * {@link io.iotpm.api.internal.auth.TokenService} issues and verifies HS256 JWTs (single-use refresh
 * tokens), the {@link io.iotpm.api.internal.auth.LoginThrottle} refuses repeated failed logins, and
 * {@link io.iotpm.api.internal.auth.DemoUsers} are the demo mode's well-known accounts.
 */
package io.iotpm.api.internal.auth;
