package io.beacon.web;

import org.springframework.core.Ordered;

/**
 * The order of every servlet filter Beacon adds, in one place, lowest first. A request passes them in this
 * order; what a filter may rely on is what the filters before it have done. Per-client rate budgets are
 * checked before all of them, in a Tomcat valve ({@link RateLimitValve}), so a refusal costs no filter.
 * <ol>
 * <li>{@link #REQUEST_GUARD}: undecodable query parameters and unreadable Content-Types are answered before
 * anything reads them;
 * <li>{@link #REQUEST_METRICS}: {@code http.server.requests} is recorded around everything after it (the
 * place Spring Boot gives its own observation filter when {@code beacon.metrics.http.observation=true});
 * <li>{@link #BODY_LIMIT}: bodies over {@code beacon.limits.max-body-bytes};
 * <li>{@link #DIRECT_ROUTES}: after everything else (security and audit included), the plain form of the
 * hottest requests is answered without the dispatcher servlet ({@link DirectRouteFilter});
 * <li>{@link #DOWNLOAD_GUARD}: last, just around the dispatcher servlet.
 * </ol>
 */
final class FilterOrder {

    static final int REQUEST_GUARD = Ordered.HIGHEST_PRECEDENCE;
    static final int REQUEST_METRICS = Ordered.HIGHEST_PRECEDENCE + 1;
    static final int BODY_LIMIT = Ordered.HIGHEST_PRECEDENCE + 10;
    static final int DIRECT_ROUTES = Ordered.LOWEST_PRECEDENCE - 1;
    static final int DOWNLOAD_GUARD = Ordered.LOWEST_PRECEDENCE;

    private FilterOrder() {
    }
}
