package io.beacon.security;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * A request's {@link BeaconPrincipal} in Spring Security: authenticated, its authorities the principal's
 * {@link Grant}s ({@code SCOPE_read}, {@code SCOPE_register:orders}, ...), no credentials (the secret is
 * never kept past the lookup). {@link #getName()} is the principal's id.
 *
 * <p>Set in the {@code SecurityContextHolder} for the request only: Beacon is stateless, nothing is kept in
 * a session.
 */
public final class BeaconAuthentication extends AbstractAuthenticationToken {

    private final BeaconPrincipal principal;

    public BeaconAuthentication(BeaconPrincipal principal) {
        super(principal.grants());
        this.principal = principal;
        setAuthenticated(true);
    }

    @Override
    public BeaconPrincipal getPrincipal() {
        return principal;
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public String getName() {
        return principal.id();
    }
}
