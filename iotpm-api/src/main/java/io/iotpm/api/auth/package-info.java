/**
 * Who may call the API. A {@link io.iotpm.api.auth.User} has a {@link io.iotpm.api.auth.Role} (viewer,
 * operator, admin; each includes the one before) and a PBKDF2 hash from
 * {@link io.iotpm.api.auth.PasswordHasher}; a {@link io.iotpm.api.auth.UserStore} finds users at login,
 * from configuration ({@code IOTPM_USERS}) or a host's own directory.
 */
package io.iotpm.api.auth;
