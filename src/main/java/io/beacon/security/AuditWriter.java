package io.beacon.security;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import org.slf4j.LoggerFactory;

/**
 * Takes the writing of audit lines off the request thread. The logger {@value AuditLog#LOGGER} gets a logback
 * {@link AsyncAppender} that hands its lines to the root logger's appenders (Spring Boot's console, and its file
 * when {@code logging.file.*} is set), so a request only queues its line and one thread writes the lines, in
 * order.
 * <p>
 * Written synchronously, every line was a {@code write(2)} under the appender's lock, and concurrent
 * registrations queued on that lock. Nothing is dropped: a request waits when the queue is full (logback's
 * default would drop INFO lines at 80 %). On {@link #close()} (the application context closing, after the web
 * server has finished its requests) the queue is written out and later lines are written synchronously again.
 * A logging configuration that gives the audit logger, or {@code beacon}, appenders of its own is left as it is,
 * and so is a logging back end other than logback.
 */
final class AuditWriter implements AutoCloseable {

    /** The name of the appender on the audit logger. */
    static final String APPENDER = "BEACON_AUDIT";
    /** How long {@link #close()} waits for the queued lines to be written. */
    private static final int FLUSH_MILLIS = 5_000;

    private final LoggerContext context;
    private final AsyncAppender queue;

    private AuditWriter(LoggerContext context, AsyncAppender queue) {
        this.context = context;
        this.queue = queue;
    }

    /**
     * Routes the audit logger through a queue of {@code queueSize} lines.
     *
     * @return the writer to close when the application stops, or {@code null} when the lines stay where the
     *     logging configuration sends them
     */
    static AuditWriter install(int queueSize) {
        return LoggerFactory.getILoggerFactory() instanceof LoggerContext context ? install(context, queueSize) : null;
    }

    static AuditWriter install(LoggerContext context, int queueSize) {
        synchronized (context) {
            Logger audit = context.getLogger(AuditLog.LOGGER);
            Logger beacon = context.exists("beacon");
            Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            if (!audit.isAdditive() || audit.iteratorForAppenders().hasNext()
                    || beacon != null && (!beacon.isAdditive() || beacon.iteratorForAppenders().hasNext())
                    || !root.iteratorForAppenders().hasNext()) {
                return null;
            }
            ToRoot toRoot = new ToRoot(root);
            toRoot.setContext(context);
            toRoot.setName(APPENDER + "_ROOT");
            toRoot.start();
            AsyncAppender queue = new AsyncAppender();
            queue.setContext(context);
            queue.setName(APPENDER);
            queue.setQueueSize(queueSize);
            queue.setDiscardingThreshold(0);
            queue.setNeverBlock(false);
            queue.setIncludeCallerData(false);
            queue.setMaxFlushTime(FLUSH_MILLIS);
            queue.addAppender(toRoot);
            queue.start();
            audit.addAppender(queue);
            audit.setAdditive(false);
            return new AuditWriter(context, queue);
        }
    }

    /** Writes out the queued lines and sends later ones synchronously to the root logger's appenders again. */
    @Override
    public void close() {
        synchronized (context) {
            Logger audit = context.getLogger(AuditLog.LOGGER);
            if (audit.getAppender(APPENDER) == queue) {
                audit.setAdditive(true);
                audit.detachAppender(queue);
            }
        }
        // the worker writes what is queued, then stops ToRoot (only it: the root's appenders stay as they are)
        queue.stop();
    }

    /**
     * Hands each line to the root logger's appenders of the moment. Stopping it stops nothing else, which the
     * queue's own stop relies on: it stops the appenders it was given.
     */
    private static final class ToRoot extends UnsynchronizedAppenderBase<ILoggingEvent> {

        private final Logger root;

        ToRoot(Logger root) {
            this.root = root;
        }

        @Override
        protected void append(ILoggingEvent line) {
            root.callAppenders(line);
        }
    }
}
