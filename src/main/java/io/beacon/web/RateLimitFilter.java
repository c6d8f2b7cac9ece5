package io.beacon.web;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Rate limits per client address ({@link RateLimits}, {@link RateBudget}): a request over its budget is
 * answered 429 problem+json with {@code Retry-After} (whole seconds, rounded up) and a detail naming the
 * budget, its value and the client, before anything reads its body; it changes nothing. The client is
 * {@code request.getRemoteAddr()}: the peer's address, or, only when {@code server.forward-headers-strategy}
 * is set, the one a proxy forwarded. Counted in {@code beacon.limit.rejections{limit=<budget>-per-minute}}.
 */
@Component
@Order(FilterOrder.RATE_LIMIT)
class RateLimitFilter extends OncePerRequestFilter {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final RateLimiter limiter;
    private final LimitRejections rejections;

    RateLimitFilter(RateLimits limits, Clock clock, MeterRegistry meters) {
        this.limiter = new RateLimiter(limits, clock);
        this.rejections = new LimitRejections(meters);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        RateBudget budget = RateBudget.of(request.getMethod(), request.getRequestURI());
        if (budget == null || !limiter.limits(budget)) {
            chain.doFilter(request, response);
            return;
        }
        String client = request.getRemoteAddr();
        long wait = limiter.acquire(client, budget);
        if (wait == 0) {
            chain.doFilter(request, response);
            return;
        }
        rejections.count(budget.limit());
        long seconds = Math.max(1, (wait + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
        int perMinute = limiter.perMinute(budget);
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        ProblemResponses.write(response, HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
                "Rate limit '" + budget.label() + "' of " + perMinute + " per minute for " + client
                        + " exceeded; retry after " + seconds + " s (beacon.limits." + budget.limit() + ").",
                request.getRequestURI(), List.of(),
                Map.of("limit", budget.limit(), "value", perMinute, "retryAfter", seconds));
    }
}
