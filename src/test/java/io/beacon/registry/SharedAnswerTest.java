package io.beacon.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Single flight: one build per version, shared by every concurrent reader; failures are not kept. */
class SharedAnswerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final SharedAnswer<byte[]> shared = new SharedAnswer<>();
    private final AtomicInteger builds = new AtomicInteger();

    /** A builder that blocks until {@code release} opens, then answers {@code text}. */
    private Supplier<byte[]> latched(CountDownLatch release, String text) {
        return () -> {
            builds.incrementAndGet();
            try {
                assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return text.getBytes(StandardCharsets.UTF_8);
        };
    }

    /** Starts a reader on its own thread; the thread is returned so its state can be awaited. */
    private static <T> Thread reader(CompletableFuture<T> into, Supplier<T> read) {
        Thread t = new Thread(() -> {
            try {
                into.complete(read.get());
            } catch (Throwable e) {
                into.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void awaitBlocked(List<Thread> threads) {
        await().atMost(WAIT).until(() -> threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING
                || t.getState() == Thread.State.TIMED_WAITING));
    }

    @Test
    void sixteenConcurrentReadersOfOneChangeShareOneBuild() {
        CountDownLatch release = new CountDownLatch(1);
        List<CompletableFuture<byte[]>> answers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            CompletableFuture<byte[]> answer = new CompletableFuture<>();
            answers.add(answer);
            threads.add(reader(answer, () -> shared.get(1, latched(release, "v1"))));
        }
        awaitBlocked(threads); // one in the build, fifteen waiting for it
        assertThat(answers).noneMatch(CompletableFuture::isDone);
        release.countDown();

        byte[] first = answers.get(0).join();
        assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("v1");
        assertThat(answers).allSatisfy(a -> assertThat(a.join()).isSameAs(first));
        assertThat(builds).hasValue(1);
        assertThat(shared.builds()).isEqualTo(1);
        assertThat(shared.get(1, latched(release, "again"))).isSameAs(first);
        assertThat(shared.get(0, latched(release, "older"))).isSameAs(first);
        assertThat(builds).hasValue(1);
    }

    @Test
    void readersAfterAChangeDuringABuildGetTheNewVersion() {
        CountDownLatch releaseOld = new CountDownLatch(1);
        CompletableFuture<byte[]> old = new CompletableFuture<>();
        Thread building = reader(old, () -> shared.get(1, latched(releaseOld, "v1")));
        CompletableFuture<byte[]> oldWaiter = new CompletableFuture<>();
        awaitBlocked(List.of(building));
        Thread waiting = reader(oldWaiter, () -> shared.get(1, latched(releaseOld, "unused")));
        awaitBlocked(List.of(waiting));

        // the registry changes while version 1 is being built: a reader of version 2 does not wait for it
        byte[] fresh = shared.get(2, () -> {
            builds.incrementAndGet();
            return "v2".getBytes(StandardCharsets.UTF_8);
        });
        assertThat(new String(fresh, StandardCharsets.UTF_8)).isEqualTo("v2");
        assertThat(old).isNotDone();

        releaseOld.countDown();
        assertThat(new String(old.join(), StandardCharsets.UTF_8)).isEqualTo("v1");
        assertThat(oldWaiter.join()).isSameAs(old.join());
        // the finished older build does not replace the newer answer
        assertThat(shared.get(2, latched(new CountDownLatch(0), "v2 again"))).isSameAs(fresh);
        assertThat(builds).hasValue(2);
    }

    @Test
    void aFailedBuildReachesItsWaitersAndIsNotKept() {
        CountDownLatch release = new CountDownLatch(1);
        IllegalArgumentException failure = new IllegalArgumentException("no such thing");
        Supplier<byte[]> failing = () -> {
            builds.incrementAndGet();
            try {
                assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw failure;
        };
        List<CompletableFuture<byte[]>> answers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            CompletableFuture<byte[]> answer = new CompletableFuture<>();
            answers.add(answer);
            threads.add(reader(answer, () -> shared.get(5, failing)));
        }
        awaitBlocked(threads);
        release.countDown();

        // every reader gets the build's own exception, unwrapped, so it is answered as that exception always is
        for (CompletableFuture<byte[]> answer : answers) {
            assertThatThrownBy(answer::join).cause().isSameAs(failure);
        }
        assertThat(builds).hasValue(1);

        byte[] rebuilt = shared.get(5, latched(new CountDownLatch(0), "ok"));
        assertThat(new String(rebuilt, StandardCharsets.UTF_8)).isEqualTo("ok");
        assertThat(builds).hasValue(2);
        assertThat(shared.get(5, failing)).isSameAs(rebuilt);
    }

    @Test
    void aFailureInTheCallingThreadIsThrownAsIs() {
        IllegalStateException failure = new IllegalStateException("broken");
        assertThatThrownBy(() -> shared.get(1, () -> {
            throw failure;
        })).isSameAs(failure);
        assertThat(shared.get(1, () -> new byte[] {1})).containsExactly(1);
    }
}
