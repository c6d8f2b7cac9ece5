package io.beacon.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The audit logger's queue, on a logging context of its own (the JVM's own logging is left as it is). */
class AuditWriterTest {

    private final LoggerContext context = new LoggerContext();
    private final Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    private final Logger audit = context.getLogger(AuditLog.LOGGER);
    private final Held held = new Held();

    AuditWriterTest() {
        context.setMDCAdapter(new LogbackMDCAdapter());
        held.setContext(context);
        held.start();
        root.addAppender(held);
    }

    @AfterEach
    void stop() {
        held.release.countDown();
        context.stop();
    }

    private List<String> written() {
        return held.lines.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void linesAreWrittenInOrderByTheQueuesThreadWithTheRequestsThreadName() {
        held.release.countDown();
        AuditWriter writer = AuditWriter.install(context, 16);
        assertThat(writer).isNotNull();
        assertThat(audit.isAdditive()).as("not written twice, through the root too").isFalse();

        IntStream.range(0, 500).forEach(i -> audit.info("line {}", i));

        await().atMost(Duration.ofSeconds(5)).until(() -> held.lines.size() == 500);
        assertThat(written()).isEqualTo(IntStream.range(0, 500).mapToObj(i -> "line " + i).toList());
        assertThat(held.lines).allSatisfy(line -> assertThat(line.getThreadName()).isEqualTo(Thread.currentThread().getName()));
        assertThat(held.writers).doesNotContain(Thread.currentThread().getName());
    }

    @Test
    void aFullQueueMakesTheRequestWaitAndDropsNothing() throws Exception {
        AuditWriter.install(context, 10);
        // logback's default drops INFO lines once the queue is 80 % full; this one must not
        Thread[] requester = new Thread[1];
        CompletableFuture<Void> logging = CompletableFuture.runAsync(() -> {
            requester[0] = Thread.currentThread();
            IntStream.range(0, 50).forEach(i -> audit.info("line {}", i));
        });

        assertThat(held.entered.await(5, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> requester[0] != null
                && requester[0].getState() == Thread.State.WAITING && !logging.isDone());
        assertThat(held.lines).isEmpty();
        held.release.countDown();

        logging.get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> held.lines.size() == 50);
        assertThat(written()).isEqualTo(IntStream.range(0, 50).mapToObj(i -> "line " + i).toList());
    }

    @Test
    void closingWritesOutTheQueueAndLaterLinesAreWrittenSynchronously() throws Exception {
        AuditWriter writer = AuditWriter.install(context, 64);
        IntStream.range(0, 10).forEach(i -> audit.info("line {}", i));
        assertThat(held.entered.await(5, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(writer::close);
        held.release.countDown();
        closing.get(10, TimeUnit.SECONDS);
        assertThat(written()).as("what was queued is written before close returns")
                .isEqualTo(IntStream.range(0, 10).mapToObj(i -> "line " + i).toList());

        audit.info("after");
        assertThat(written()).last().isEqualTo("after");
        assertThat(held.writers).contains(Thread.currentThread().getName());
        assertThat(audit.isAdditive()).isTrue();
        assertThat(audit.getAppender(AuditWriter.APPENDER)).isNull();
        assertThat(held.isStarted()).as("the root's appenders keep running").isTrue();
    }

    @Test
    void aConfigurationThatRoutesTheAuditLoggerItselfIsLeftAsItIs() {
        ListAppender<ILoggingEvent> own = new ListAppender<>();
        own.setContext(context);
        own.start();
        audit.addAppender(own);
        assertThat(AuditWriter.install(context, 16)).isNull();
        assertThat(audit.isAdditive()).isTrue();

        audit.detachAppender(own);
        audit.setAdditive(false);
        assertThat(AuditWriter.install(context, 16)).isNull();

        audit.setAdditive(true);
        context.getLogger("beacon").addAppender(own);
        assertThat(AuditWriter.install(context, 16)).isNull();
        assertThat(audit.getAppender(AuditWriter.APPENDER)).isNull();
    }

    @Test
    void withoutAppendersOnTheRootThereIsNothingToQueueFor() {
        root.detachAppender(held);
        assertThat(AuditWriter.install(context, 16)).isNull();
    }

    /** An appender that records each line and the thread that wrote it, holding every write until released. */
    private static final class Held extends AppenderBase<ILoggingEvent> {

        final List<ILoggingEvent> lines = new CopyOnWriteArrayList<>();
        final List<String> writers = new CopyOnWriteArrayList<>();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        protected void append(ILoggingEvent line) {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            lines.add(line);
            writers.add(Thread.currentThread().getName());
        }
    }
}
