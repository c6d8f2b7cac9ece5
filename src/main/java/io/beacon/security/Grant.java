package io.beacon.security;

import io.beacon.registry.ServiceName;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.security.core.GrantedAuthority;

/**
 * One scope a principal holds: {@code read}, {@code admin}, or {@code register:<pattern>} /
 * {@code operate:<pattern>} where the pattern is a service name that may contain {@code *} (any run of
 * characters, none included): {@code register:orders}, {@code register:payments-*}, {@code operate:*}.
 * Patterns match the normalised (lower-case) service name, so they are case-insensitive like service names.
 *
 * <p>As a Spring Security authority the grant is {@code SCOPE_<grant>}, e.g. {@code SCOPE_register:orders}.
 *
 * @param scope what is allowed
 * @param pattern the services it is allowed on (normalised to lower case); {@code *} for the scopes that
 *     apply to every service
 */
public record Grant(Scope scope, String pattern) implements GrantedAuthority {

    /** The prefix of a grant's authority. */
    public static final String AUTHORITY_PREFIX = "SCOPE_";

    private static final Pattern PATTERN = Pattern.compile("[a-z0-9._*-]{1,253}");

    public Grant {
        if (scope == null) {
            throw new IllegalArgumentException("a grant needs a scope");
        }
        pattern = scope.perService() ? pattern.toLowerCase(Locale.ROOT) : "*";
        if (!PATTERN.matcher(pattern).matches()) {
            throw new IllegalArgumentException("'" + pattern + "' is not a service pattern: use letters, digits, "
                    + "'.', '_', '-' and '*'");
        }
    }

    /**
     * Reads a grant as written in configuration and in the token API: {@code read}, {@code admin},
     * {@code register:<pattern>}, {@code operate:<pattern>}.
     *
     * @throws IllegalArgumentException with a sentence naming what is wrong
     */
    public static Grant parse(String text) {
        String raw = text == null ? "" : text.trim();
        int colon = raw.indexOf(':');
        String label = colon < 0 ? raw : raw.substring(0, colon);
        Scope scope = Scope.ofLabel(label);
        if (scope == null) {
            throw new IllegalArgumentException("'" + raw + "' is not a scope: use read, register:<service-pattern>, "
                    + "operate:<service-pattern> or admin");
        }
        if (scope.perService() && (colon < 0 || colon == raw.length() - 1)) {
            throw new IllegalArgumentException("'" + raw + "' needs a service pattern: " + scope.label()
                    + ":<service-pattern>, e.g. " + scope.label() + ":orders or " + scope.label() + ":orders-*");
        }
        if (!scope.perService() && colon >= 0) {
            throw new IllegalArgumentException("'" + raw + "' takes no service pattern: " + scope.label()
                    + " applies to every service");
        }
        return new Grant(scope, scope.perService() ? raw.substring(colon + 1) : "*");
    }

    /** Whether this grant alone allows {@code wanted} on {@code service} ({@code admin} allows everything). */
    public boolean allows(Scope wanted, ServiceName service) {
        if (scope == Scope.ADMIN) {
            return true;
        }
        if (scope != wanted) {
            return false;
        }
        return !scope.perService() || matches(pattern, service.value());
    }

    /** Whether this grant allows {@code wanted} on at least one service. */
    public boolean allowsSome(Scope wanted) {
        return scope == Scope.ADMIN || scope == wanted;
    }

    @Override
    public String getAuthority() {
        return AUTHORITY_PREFIX + this;
    }

    @Override
    public String toString() {
        return scope.perService() ? scope.label() + ":" + pattern : scope.label();
    }

    /** Glob match with {@code *} only, no backtracking blow-up (greedy with one resume point). */
    static boolean matches(String glob, String name) {
        int g = 0;
        int n = 0;
        int star = -1;
        int resume = 0;
        while (n < name.length()) {
            if (g < glob.length() && glob.charAt(g) == name.charAt(n) && glob.charAt(g) != '*') {
                g++;
                n++;
            } else if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                resume = n;
            } else if (star >= 0) {
                g = star + 1;
                n = ++resume;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }
}
