package io.beacon.security;

/**
 * Access control for Beacon's ports other than HTTP (the xDS gRPC port): checks the credentials a call
 * presents, an {@code Authorization}-style value ({@code Bearer <token>}, or HTTP Basic with the token as
 * password), against the same tokens, hashing and lookup as the HTTP API, for one scope. Every refusal is
 * counted in {@code beacon.auth.denied{reason}} like the HTTP API's. In open mode every call is allowed and
 * nothing is read.
 */
public final class TokenCheck {

    /** What a check decided. */
    public enum Outcome {
        /** The call may proceed. */
        ALLOWED,
        /** No credentials, malformed ones, or an unknown or revoked token (HTTP 401, gRPC UNAUTHENTICATED). */
        UNAUTHENTICATED,
        /** A valid token without the scope (HTTP 403, gRPC PERMISSION_DENIED). */
        FORBIDDEN
    }

    /**
     * A decision.
     *
     * @param outcome allowed or why not
     * @param principal who made the call (null when unauthenticated, and in open mode without credentials)
     * @param detail for a refusal, what the caller must send (it names the scope needed); empty when allowed
     */
    public record Verdict(Outcome outcome, BeaconPrincipal principal, String detail) {

        public boolean allowed() {
            return outcome == Outcome.ALLOWED;
        }
    }

    private static final Verdict OPEN = new Verdict(Outcome.ALLOWED, null, "");

    private final boolean enforced;
    private final Tokens tokens;
    private final DenialCounter denials;

    TokenCheck(boolean enforced, Tokens tokens, DenialCounter denials) {
        this.enforced = enforced;
        this.tokens = tokens;
        this.denials = denials;
    }

    /** Whether calls are checked at all ({@code beacon.security.mode=enforced}). */
    public boolean enforced() {
        return enforced;
    }

    /**
     * Checks a call that needs {@code scope} (a scope granted for all services: {@code read} or {@code admin}).
     *
     * @param authorization the call's {@code authorization} value, or null when it sent none
     * @param where how the caller sends credentials on this port, for the refusal's detail, e.g.
     *     {@code "gRPC metadata 'authorization: Bearer <token>'"}
     */
    public Verdict check(String authorization, Scope scope, String where) {
        if (!enforced) {
            return OPEN;
        }
        String needs = "a token with scope '" + scope.label() + "'";
        if (authorization == null) {
            return refused(DenialCounter.Reason.MISSING, null, "This call needs " + needs + ": send " + where + ".");
        }
        String secret = TokenFilter.secret(authorization);
        if (secret == null) {
            return refused(DenialCounter.Reason.MALFORMED, null,
                    "The authorization value is malformed: send " + where + " (" + needs + ").");
        }
        Tokens.Lookup lookup = tokens.lookup(secret);
        if (lookup.outcome() != Tokens.Outcome.VALID) {
            return refused(lookup.outcome() == Tokens.Outcome.REVOKED ? DenialCounter.Reason.REVOKED
                    : DenialCounter.Reason.UNKNOWN, null,
                    "The token is not valid: send " + needs + " that Beacon has issued, as " + where + ".");
        }
        BeaconPrincipal principal = lookup.principal();
        if (!principal.allowsSome(scope)) {
            denials.count(DenialCounter.Reason.SCOPE);
            return new Verdict(Outcome.FORBIDDEN, principal, "Token '" + principal.id() + "' lacks scope '"
                    + scope.label() + "', which this call needs.");
        }
        return new Verdict(Outcome.ALLOWED, principal, "");
    }

    private Verdict refused(DenialCounter.Reason reason, BeaconPrincipal principal, String detail) {
        denials.count(reason);
        return new Verdict(Outcome.UNAUTHENTICATED, principal, detail);
    }
}
