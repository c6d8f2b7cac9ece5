package io.beacon.web;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.scheduling.TaskScheduler;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * Rate limits per client address ({@link RateLimits}, {@link RateBudget}), checked in the Tomcat context's
 * pipeline before any servlet filter: a request over its budget is answered 429 problem+json with
 * {@code Retry-After} (whole seconds, rounded up) and a detail naming the budget, its value and the client;
 * its body is never read and it changes nothing. The refusal is built by concatenation around fixed parts,
 * without a JSON tree, and is not observed in {@code http.server.requests} (it is counted in
 * {@code beacon.limit.rejections{limit=<budget>-per-minute}}). The client is {@code request.getRemoteAddr()}:
 * the peer's address, or, only when {@code server.forward-headers-strategy} is set, the one a proxy forwarded.
 * <p>
 * Unless {@link RateLimits#refusalDelay()} is 0, the 429 is sent only after between half that delay and all
 * of it, at random (never after the {@code Retry-After} it carries), as an async request that holds no
 * thread; {@link DelayedRefusals} bounds how many wait per client and in all, past which refusals are
 * answered at once.
 */
final class RateLimitValve extends ValveBase {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long BACKSTOP_MILLIS = 5_000;
    private static final JsonStringEncoder JSON = JsonStringEncoder.getInstance();

    private final RateLimiter limiter;
    private final LimitRejections rejections;
    private final DelayedRefusals delayed;
    private final TaskScheduler scheduler;
    private final long delayNanos;
    private final RandomGenerator random;

    RateLimitValve(RateLimiter limiter, LimitRejections rejections, DelayedRefusals delayed,
            TaskScheduler scheduler, long delayNanos, RandomGenerator random) {
        super(true);
        this.limiter = limiter;
        this.rejections = rejections;
        this.delayed = delayed;
        this.scheduler = scheduler;
        this.delayNanos = delayNanos;
        this.random = random;
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        RateBudget budget = RateBudget.of(request.getMethod(), request.getRequestURI());
        if (budget == null || !limiter.limits(budget)) {
            getNext().invoke(request, response);
            return;
        }
        String client = request.getRemoteAddr();
        long wait = limiter.acquire(client, budget);
        if (wait == 0) {
            getNext().invoke(request, response);
            return;
        }
        rejections.count(budget.limit());
        long seconds = Math.max(1, (wait + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
        byte[] body = body(budget, limiter.perMinute(budget), client, seconds, request.getRequestURI());
        long hold = hold(delayNanos, seconds, random);
        if (hold > 0 && request.isAsyncSupported() && delayed.hold(client)) {
            delay(request, client, seconds, body, hold);
        } else {
            write(response, seconds, body);
        }
    }

    /**
     * How long one refusal waits: between half the delay and the whole delay, at random, never past its
     * {@code Retry-After}. Not shortened when the budget refills sooner: a budget that refills a request every
     * few milliseconds (registrations, 333 a second) would otherwise hold a flood's refusals only that long, and
     * a client ignoring {@code Retry-After} would be answered thousands of times a second. Spread, because a
     * flood's refusals held alike came back in one wave each delay: its connections, all refused at once,
     * were answered at once, sent again at once, and each wave stalled the other clients' requests for a few
     * milliseconds (with the whole delay the victims' p99 under a flood was about 3 times their p99 alone).
     */
    static long hold(long delayNanos, long retryAfterSeconds, RandomGenerator random) {
        long full = Math.min(delayNanos, retryAfterSeconds * NANOS_PER_SECOND);
        return full - (long) (full / 2 * (1 - random.nextDouble()));
    }

    /** Answers the refusal after {@code nanos}, from the scheduler, holding no request thread meanwhile. */
    private void delay(Request request, String client, long seconds, byte[] body, long nanos) {
        AsyncContext async;
        try {
            async = request.startAsync();
        } catch (IllegalStateException e) {
            delayed.release(client);
            write(request.getResponse(), seconds, body);
            return;
        }
        AtomicBoolean done = new AtomicBoolean();
        Runnable finish = () -> {
            if (done.compareAndSet(false, true)) {
                try {
                    write((HttpServletResponse) async.getResponse(), seconds, body);
                } finally {
                    delayed.release(client);
                    try {
                        async.complete();
                    } catch (IllegalStateException e) {
                        // completed by the container (the client went away)
                    }
                }
            }
        };
        async.setTimeout(TimeUnit.NANOSECONDS.toMillis(nanos) + BACKSTOP_MILLIS);
        async.addListener(new AsyncListener() {
            @Override
            public void onTimeout(AsyncEvent event) {
                finish.run();
            }

            @Override
            public void onError(AsyncEvent event) {
                if (done.compareAndSet(false, true)) {
                    delayed.release(client);
                }
            }

            @Override
            public void onComplete(AsyncEvent event) {
                if (done.compareAndSet(false, true)) {
                    delayed.release(client);
                }
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                // not restarted
            }
        });
        try {
            scheduler.schedule(finish, scheduler.getClock().instant().plusNanos(nanos));
        } catch (RuntimeException e) {
            // the scheduler is shutting down: answer now
            finish.run();
        }
    }

    private static void write(HttpServletResponse response, long seconds, byte[] body) {
        try {
            response.setStatus(429);
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        } catch (IOException | IllegalStateException e) {
            // the client went away
        }
    }

    /** The problem answer, the same members {@link ProblemResponses} writes, in the same order. */
    static byte[] body(RateBudget budget, int perMinute, String client, long seconds, String instance) {
        StringBuilder json = new StringBuilder(384)
                .append("{\"type\":\"about:blank\",\"title\":\"Too many requests\",\"status\":429,\"detail\":\"")
                .append("Rate limit '").append(budget.label()).append("' of ").append(perMinute).append(" per minute for ");
        JSON.quoteAsString(client, json);
        json.append(" exceeded; retry after ").append(seconds).append(" s (beacon.limits.").append(budget.limit())
                .append(").\",\"instance\":\"");
        JSON.quoteAsString(instance, json);
        json.append("\",\"limit\":\"").append(budget.limit()).append("\",\"value\":").append(perMinute)
                .append(",\"retryAfter\":").append(seconds).append('}');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }
}
