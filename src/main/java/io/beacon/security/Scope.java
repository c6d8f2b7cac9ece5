package io.beacon.security;

import java.util.Locale;

/**
 * What a grant allows. {@link #READ} and {@link #ADMIN} apply to every service; {@link #REGISTER} and
 * {@link #OPERATE} to the services their pattern matches. {@code admin} allows everything, token management
 * included.
 *
 * <table>
 *   <caption>Scopes</caption>
 *   <tr><td>{@code read}</td><td>discover, watch (SSE and long poll), catalog, policies and checks read,
 *       Eureka reads, Prometheus targets and {@code /actuator/prometheus}</td></tr>
 *   <tr><td>{@code register:<pattern>}</td><td>register, heartbeat, deregister, report; Eureka register,
 *       renew, cancel, metadata</td></tr>
 *   <tr><td>{@code operate:<pattern>}</td><td>drain and status overrides (native and Eureka), policies</td></tr>
 *   <tr><td>{@code admin}</td><td>everything, and the token API {@code /acl/tokens}</td></tr>
 * </table>
 */
public enum Scope {
    READ(false), REGISTER(true), OPERATE(true), ADMIN(false);

    private final boolean perService;

    Scope(boolean perService) {
        this.perService = perService;
    }

    /** Whether the scope is granted per service pattern ({@code register:orders-*}) or for all services. */
    public boolean perService() {
        return perService;
    }

    /** As written in configuration, in the token API and in problems: {@code read}, {@code register}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope named {@code label} (case-insensitive), or null. */
    static Scope ofLabel(String label) {
        for (Scope scope : values()) {
            if (scope.label().equalsIgnoreCase(label)) {
                return scope;
            }
        }
        return null;
    }
}
