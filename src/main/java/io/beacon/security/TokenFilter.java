package io.beacon.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Enforced mode: tells who makes the request. First the {@link RequestAuthenticator}s (client
 * certificates), then the {@code Authorization} header: {@code Bearer <token>}, or {@code Basic} with the
 * token as password (any user name: Eureka clients send {@code http://beacon:<token>@host/eureka/}).
 * A readable, valid token becomes the request's {@link BeaconAuthentication}; a malformed header, an
 * unknown or a revoked token is a 401 at once (the open endpoints do not read credentials at all); no header leaves the request
 * unauthenticated for the authorization step (open endpoints pass, the others get a 401). Nothing is kept
 * in a session.
 */
final class TokenFilter extends OncePerRequestFilter {

    static final String PRINCIPAL_ATTRIBUTE = TokenFilter.class.getName() + ".principal";

    private final Tokens tokens;
    private final List<RequestAuthenticator> authenticators;
    private final DenialCounter denials;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    TokenFilter(Tokens tokens, List<RequestAuthenticator> authenticators, DenialCounter denials) {
        this.tokens = tokens;
        this.authenticators = List.copyOf(authenticators);
        this.denials = denials;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (Endpoint.of(request).open()) { // health probes and API documents: credentials are not even read
            chain.doFilter(request, response);
            return;
        }
        for (RequestAuthenticator authenticator : authenticators) {
            Optional<BeaconPrincipal> principal = authenticator.authenticate(request);
            if (principal.isPresent()) {
                proceed(principal.get(), request, response, chain);
                return;
            }
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            chain.doFilter(request, response);
            return;
        }
        String secret = secret(header);
        if (secret == null) {
            denials.count(DenialCounter.Reason.MALFORMED);
            Problems.unauthorized(request, response, "The Authorization header is malformed: send "
                    + "'Authorization: Bearer <token>' or HTTP Basic with the token as password.", true);
            return;
        }
        Tokens.Lookup lookup = tokens.lookup(secret);
        switch (lookup.outcome()) {
            case VALID -> proceed(lookup.principal(), request, response, chain);
            case REVOKED -> {
                request.setAttribute(PRINCIPAL_ATTRIBUTE, lookup.token().id());
                denials.count(DenialCounter.Reason.REVOKED);
                Problems.unauthorized(request, response, Problems.INVALID_DETAIL, true);
            }
            default -> {
                denials.count(DenialCounter.Reason.UNKNOWN);
                Problems.unauthorized(request, response, Problems.INVALID_DETAIL, true);
            }
        }
    }

    private void proceed(BeaconPrincipal principal, HttpServletRequest request, HttpServletResponse response,
            FilterChain chain) throws ServletException, IOException {
        request.setAttribute(PRINCIPAL_ATTRIBUTE, principal.id());
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(new BeaconAuthentication(principal));
        contexts.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            contexts.clearContext();
        }
    }

    /** The token of a Bearer or Basic header, or null when the header cannot be read. */
    static String secret(String header) {
        int space = header.indexOf(' ');
        if (space <= 0) {
            return null;
        }
        String scheme = header.substring(0, space);
        String value = header.substring(space + 1).trim();
        if (value.isEmpty()) {
            return null;
        }
        if (scheme.equalsIgnoreCase("Bearer")) {
            return value.indexOf(' ') >= 0 ? null : value;
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int colon = decoded.indexOf(':');
            return colon < 0 || colon == decoded.length() - 1 ? null : decoded.substring(colon + 1);
        }
        return null;
    }
}
