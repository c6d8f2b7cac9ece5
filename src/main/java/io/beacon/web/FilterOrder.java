package io.beacon.web;

import org.springframework.core.Ordered;

/**
 * The order of Beacon's servlet filters, in one place. Spring Boot's own filters sit between them:
 * its character encoding filter at {@link Ordered#HIGHEST_PRECEDENCE} and the HTTP observation filter
 * ({@code http.server.requests}) at {@code HIGHEST_PRECEDENCE + 1}.
 * <p>
 * The per-client rate budgets are not a filter: {@link RateLimitValve} checks them in the Tomcat context's
 * pipeline, before every filter (observation, request guard, body limit), so that a refused request costs
 * as little as possible and never reaches Spring.
 */
final class FilterOrder {

    /** {@link RequestGuardFilter}: undecodable query parameters and unreadable Content-Types. */
    static final int REQUEST_GUARD = Ordered.HIGHEST_PRECEDENCE;
    /** {@link BodySizeLimitFilter}: request bodies over their limit. */
    static final int BODY_SIZE_LIMIT = Ordered.HIGHEST_PRECEDENCE + 10;

    private FilterOrder() {
    }
}
