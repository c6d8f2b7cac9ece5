package io.beacon.watch;

import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A watcher refused because a {@link WatcherLimits} limit is reached: a 429 problem whose detail names the
 * limit and its value, with the limit also as the {@code limit} and {@code value} members, and a
 * {@code Retry-After} in seconds. Spring's {@link ErrorResponseException} handling renders it.
 */
public class WatcherLimitException extends ErrorResponseException {

    WatcherLimitException(String limit, int value, String detail, Duration retryAfter) {
        super(HttpStatus.TOO_MANY_REQUESTS, problem(limit, value, detail), null);
        getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter.toSeconds()));
    }

    private static ProblemDetail problem(String limit, int value, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, detail);
        problem.setTitle("Too many watchers");
        problem.setProperty("limit", limit);
        problem.setProperty("value", value);
        return problem;
    }
}
