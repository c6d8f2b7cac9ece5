package io.beacon.security;

/**
 * A request that is authenticated but lacks the scope for what it asked: answered 403 with
 * {@code application/problem+json} naming the scope that was needed ({@code requiredScope}) and the
 * principal's id ({@code token}), never a secret. Thrown by {@link ServiceAccess}; Beacon's exception
 * handling turns it into the answer, nothing has been changed when it is thrown.
 */
public final class AccessDeniedProblem extends RuntimeException {

    private final String principalId;
    private final String requiredScope;
    private final String action;

    AccessDeniedProblem(String principalId, String requiredScope, String action) {
        super(null, null, false, false);
        this.principalId = principalId;
        this.requiredScope = requiredScope;
        this.action = action;
    }

    /** The token id (or certificate subject) that made the request. */
    public String principalId() {
        return principalId;
    }

    /** The grant that would have allowed it, e.g. {@code register:payments}. */
    public String requiredScope() {
        return requiredScope;
    }

    /** What was asked, in words: {@code register instances of 'payments'}. */
    public String action() {
        return action;
    }

    /** The problem's detail. */
    @Override
    public String getMessage() {
        return "Token '" + principalId + "' may not " + action + ": that needs scope '" + requiredScope + "'"
                + (requiredScope.equals("admin") ? "." : " (or a pattern matching it, or admin).");
    }
}
