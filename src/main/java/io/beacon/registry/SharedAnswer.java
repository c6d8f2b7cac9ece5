package io.beacon.registry;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * One built answer per change, shared by every concurrent reader (single flight). A reader passes the
 * version it read <em>before</em> looking at the data the answer is built from; the first reader of a
 * version newer than the one kept builds the answer, and readers of that version (or an older one)
 * arriving meanwhile wait for that one build and get the very same object — a large answer exists once
 * in memory, however many requests ask for it right after a change.
 *
 * <p>Correctness rests on that ordering: an answer kept under version V was built from data at least
 * as new as V, so a reader of V or older may be given it; a reader of a newer version never gets it.
 * A build that fails is not kept: the readers waiting for it get the very exception the build threw
 * (so it is answered as that exception always is), and the next reader builds again.
 *
 * @param <T> the answer, usually its serialised bytes
 */
public final class SharedAnswer<T> {

    private record Build<T>(long version, CompletableFuture<T> result) {
    }

    private final AtomicReference<Build<T>> current = new AtomicReference<>();
    private final LongAdder builds = new LongAdder();

    /**
     * The answer for {@code version}: the one kept or being built when its version is at least
     * {@code version}, otherwise a new one built by {@code build} in the calling thread.
     */
    public T get(long version, Supplier<? extends T> build) {
        while (true) {
            Build<T> seen = current.get();
            if (seen != null && seen.version() >= version) {
                return await(seen.result());
            }
            Build<T> mine = new Build<>(version, new CompletableFuture<>());
            if (current.compareAndSet(seen, mine)) {
                return build(mine, build);
            }
        }
    }

    /** How many builds were started: one per version read, whatever the number of readers. */
    public long builds() {
        return builds.sum();
    }

    private T build(Build<T> mine, Supplier<? extends T> build) {
        builds.increment();
        T value;
        try {
            value = build.get();
        } catch (RuntimeException | Error e) {
            current.compareAndSet(mine, null); // nothing kept: the next reader builds again
            mine.result().completeExceptionally(e);
            throw e;
        }
        mine.result().complete(value);
        return value;
    }

    private static <T> T await(CompletableFuture<T> result) {
        try {
            return result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
