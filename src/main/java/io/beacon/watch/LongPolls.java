package io.beacon.watch;

import io.beacon.api.Responses;
import io.beacon.registry.ServiceName;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Blocking discovery: holds a {@code /discover} request (Servlet async, no thread held) until the
 * service's index moves past the client's or the wait (capped, plus up to 1/16 jitter) elapses.
 */
@Component
public class LongPolls {

    private final WatchHub hub;
    private final WatchProperties properties;

    LongPolls(WatchHub hub, WatchProperties properties) {
        this.hub = hub;
        this.properties = properties;
    }

    /** The wait used when a blocking request gives none. */
    public Duration defaultWait() {
        return properties.defaultWait();
    }

    /**
     * Answers at once when the service's index differs from {@code clientIndex} (newer, or the client's
     * index predates a restart), otherwise when the service changes or the wait elapses.
     *
     * @param answer builds the response from the service as it is when called
     */
    public DeferredResult<ResponseEntity<Responses.Discovery>> await(ServiceName name, BlockingParams params,
            Supplier<ResponseEntity<Responses.Discovery>> answer) {
        Duration wait = params.effectiveWait(properties.maxWait(), ThreadLocalRandom.current().nextDouble());
        DeferredResult<ResponseEntity<Responses.Discovery>> result = new DeferredResult<>(wait.toMillis());
        LongPoll poll = new LongPoll(result, answer);
        result.onTimeout(() -> {
            hub.unpark(name, poll);
            poll.answer();
        });
        result.onCompletion(() -> hub.unpark(name, poll));
        result.onError(e -> hub.unpark(name, poll));
        if (!hub.park(name, poll, params.index())) {
            poll.answer();
        }
        return result;
    }
}
