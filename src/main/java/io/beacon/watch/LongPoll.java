package io.beacon.watch;

import io.beacon.api.Responses;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.async.DeferredResult;

/** One held blocking discovery request. It holds no thread: the answer is built when it is woken or times out. */
final class LongPoll {

    private final DeferredResult<ResponseEntity<Responses.Discovery>> result;
    private final Supplier<ResponseEntity<Responses.Discovery>> answer;
    private final AtomicBoolean counted = new AtomicBoolean();

    LongPoll(DeferredResult<ResponseEntity<Responses.Discovery>> result,
            Supplier<ResponseEntity<Responses.Discovery>> answer) {
        this.result = result;
        this.answer = answer;
    }

    /** Answers with the service as it is now (filters applied); a no-op when already answered. */
    void answer() {
        if (!result.isSetOrExpired()) {
            result.setResult(answer.get());
        }
    }

    /** Marks the poll as counted in the gauge; true the first time. */
    boolean count() {
        return counted.compareAndSet(false, true);
    }

    /** Marks the poll as no longer counted; true the first time after {@link #count}. */
    boolean uncount() {
        return counted.compareAndSet(true, false);
    }
}
