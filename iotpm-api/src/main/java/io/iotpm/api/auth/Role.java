package io.iotpm.api.auth;

import io.javalin.security.RouteRole;

import java.util.Locale;

/**
 * What a user may do. Roles are ordered: an {@link #ADMIN} may do everything an {@link #OPERATOR} may,
 * who may do everything a {@link #VIEWER} may.
 */
public enum Role implements RouteRole {
    /** Reads devices, data, predictions, alerts, rules and statistics. */
    VIEWER,
    /** Also ingests readings, acknowledges, resolves and silences alerts. */
    OPERATOR,
    /** Also changes rules and thresholds and starts model training. */
    ADMIN;

    /**
     * @param required the least role an endpoint needs
     * @return whether this role is at least {@code required}
     */
    public boolean includes(Role required) {
        return compareTo(required) >= 0;
    }

    /** @return the lower-case name used in tokens and JSON: {@code admin}, {@code operator}, {@code viewer} */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param id {@code admin}, {@code operator} or {@code viewer} (case-insensitive)
     * @return the role
     * @throws IllegalArgumentException naming the unknown role
     */
    public static Role fromId(String id) {
        if (id != null) {
            for (Role r : values()) {
                if (r.name().equalsIgnoreCase(id)) {
                    return r;
                }
            }
        }
        throw new IllegalArgumentException("role must be one of admin, operator, viewer, but was '" + id + "'");
    }
}
