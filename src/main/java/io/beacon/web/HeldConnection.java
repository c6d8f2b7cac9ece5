package io.beacon.web;

import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.coyote.http11.upgrade.InternalHttpUpgradeHandler;
import org.apache.tomcat.util.http.FastHttpDateFormat;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.SSLSupport;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;

/**
 * A connection whose request Tomcat has let go of while its answer is still to come: a held long poll or an
 * open watch stream ({@link LeanWatchers}). Tomcat keeps a whole request processor for a request in
 * asynchronous mode (request and response objects, the HTTP/1.1 header buffers, the servlet buffers, 50 KB
 * and more); a held connection keeps only the socket, its two buffers and this object, and Tomcat's
 * processor goes back to its cache for the next request.
 * <p>
 * Two kinds:
 * <ul>
 * <li>an <b>answer</b> (long poll): nothing is sent until {@link #answer}, which writes the status line, the
 *   headers the request's filters and handler set, the answer's own headers and the body, as Tomcat would,
 *   and then gives the connection back to Tomcat for the client's next request (keep-alive);</li>
 * <li>a <b>stream</b> (Server-Sent Events): the status line and headers are sent when the connection is held;
 *   the holder then writes frames with {@link #isReady}, {@link #write} and {@link #flush} (non-blocking) and
 *   ends the stream with {@link #close}, which closes the connection (the stream says
 *   {@code Connection: close}).</li>
 * </ul>
 * The client closing its connection is seen at once (a read event that finds the end of the input) and
 * reported to the holder; so is any byte it sends while held (a held client sends nothing): a long poll is
 * then answered and the connection closed after the answer.
 * <p>
 * Threads: Tomcat calls {@link #upgradeDispatch} holding the socket's lock; the holder's callbacks are run on
 * the holder's executor, never under that lock, so a holder may take its own locks and then call this
 * connection's methods, which take the socket's lock.
 */
public final class HeldConnection implements InternalHttpUpgradeHandler {

    /** What holds the connection. Every callback runs on the executor given with it. */
    public interface Holder {

        /** The connection is held: from now on the holder may answer or write. */
        void held(HeldConnection connection);

        /** A stream's socket takes bytes again after {@link #isReady} said it did not. */
        default void writable() {
        }

        /**
         * The client is gone (closed its connection, or the connection failed or closed on shutdown), or, for a
         * long poll, sent bytes while waiting ({@code gone} false: answer now; the connection closes after).
         * Reported once.
         */
        void interrupted(boolean gone);
    }

    /** Kind of a held connection. */
    enum Kind {
        /** A long poll: nothing is sent until {@link #answer}. */
        ANSWER,
        /** A stream: status line and headers sent when held, then frames, then a close. */
        STREAM
    }

    private static final int HOLDING = 0;
    private static final int ANSWERED = 1;
    private static final int CLOSING = 2;
    /** The body of an answer to a {@code HEAD} request. */
    private static final byte[] EMPTY = new byte[0];

    private final Kind kind;
    private final Holder holder;
    private final Executor executor;
    private final String head;
    private final long keepAliveTimeout;
    private final long writeTimeout;
    private final int maxKeepAliveRequests;
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private final AtomicInteger heldCount;
    /** 0 before {@link #init}, 1 while counted in {@link #heldCount}, 2 after. */
    private final AtomicInteger counting = new AtomicInteger();
    private volatile SocketWrapperBase<?> socket;
    /** {@link #HOLDING}, {@link #ANSWERED} (give the connection back) or {@link #CLOSING}; under the socket lock. */
    private volatile int state = HOLDING;
    private boolean closeAfterAnswer;
    /** Whether an answered connection may take its client's next request ({@link #release}); under the lock. */
    private boolean released;
    /** A next request arrived before {@link #release}: reading was suspended; under the socket lock. */
    private boolean waitingForRelease;
    private boolean headOnly;
    /** A stream's socket did not take more and Tomcat will report when it does; under the socket lock. */
    private boolean awaitingWrite;

    /**
     * @param head a stream's status line and headers, ending with the empty line; an answer's headers that the
     *     request's filters and handler set (header lines, each ending with CRLF)
     * @param keepAliveTimeout how long the connection may idle after an answer (Tomcat's keep-alive timeout)
     * @param writeTimeout how long a blocking write of an answer may wait for the client (Tomcat's connection timeout)
     * @param maxKeepAliveRequests Tomcat's {@code maxKeepAliveRequests}: the most requests a connection carries (-1 or 0:
     *     no limit); an answer to the last of them says {@code Connection: close}, and the connection closes after it
     * @param heldCount the connections held now: this one is counted from {@link #init} until it is answered or ends
     */
    HeldConnection(Kind kind, Holder holder, Executor executor, String head, long keepAliveTimeout, long writeTimeout,
            int maxKeepAliveRequests, AtomicInteger heldCount) {
        this.heldCount = heldCount;
        this.kind = kind;
        this.holder = holder;
        this.executor = executor;
        this.head = head;
        this.keepAliveTimeout = keepAliveTimeout;
        this.writeTimeout = writeTimeout;
        this.maxKeepAliveRequests = maxKeepAliveRequests;
    }

    /**
     * How an answer is sent: with {@code Connection: close} and the connection closed after it (HTTP/1.0, or the
     * client asked to close), and without its body (a {@code HEAD} request: the headers still give its length).
     */
    void answerRules(boolean close, boolean head) {
        this.closeAfterAnswer = close;
        this.headOnly = head;
    }

    @Override
    public void setSocketWrapper(SocketWrapperBase<?> wrapper) {
        this.socket = wrapper;
    }

    /** Tomcat hands the connection over: Tomcat's processor is released; the holder is told. */
    @Override
    public void init(WebConnection connection) {
        SocketWrapperBase<?> wrapper = socket;
        // held: no read timeout (the holder times its wait); a blocking write of an answer is bounded
        wrapper.setReadTimeout(-1);
        wrapper.setWriteTimeout(writeTimeout);
        if (kind == Kind.ANSWER && lastOnConnection(wrapper, maxKeepAliveRequests)) {
            closeAfterAnswer = true;
        }
        if (counting.compareAndSet(0, 1)) {
            heldCount.incrementAndGet();
        }
        if (kind == Kind.STREAM) {
            try {
                byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
                wrapper.write(false, bytes, 0, bytes.length);
                wrapper.flush(false);
            } catch (IOException e) {
                state = CLOSING;
                interrupt(true);
                return;
            }
        }
        run(() -> holder.held(this));
    }

    /**
     * Whether the request being held is the last its connection may carry, as Tomcat decides it for every other
     * request: Tomcat counts a connection's requests down on its socket (the count outlives the processor this
     * connection replaced) and has already counted this one. There is no getter; the count is read by counting
     * down once more and putting it back.
     */
    static boolean lastOnConnection(SocketWrapperBase<?> wrapper, int maxKeepAliveRequests) {
        if (maxKeepAliveRequests == 1) {
            return true;
        }
        if (maxKeepAliveRequests <= 0) {
            return false;
        }
        int left = wrapper.decrementKeepAlive() + 1;
        wrapper.setKeepAliveLeft(left);
        return left <= 0;
    }

    @Override
    public SocketState upgradeDispatch(SocketEvent status) {
        SocketWrapperBase<?> wrapper = socket;
        switch (status) {
            case OPEN_READ:
            case OPEN_WRITE:
                break;
            default: // ERROR, DISCONNECT, STOP, TIMEOUT, CONNECT_FAIL
                state = CLOSING;
                interrupt(true);
                return SocketState.CLOSED;
        }
        try {
            // flush(false) is true while bytes remain: Tomcat reports the socket writable again
            boolean unflushed = wrapper.hasDataToWrite() && wrapper.flush(false);
            if (unflushed && state != CLOSING) {
                wrapper.registerWriteInterest();
            } else if (state == ANSWERED) {
                if (!released) {
                    // the client's next request came before the wake-up it belongs to has flushed every answer:
                    // it waits in the socket, unread, until release() asks for it again
                    waitingForRelease = true;
                    return SocketState.SUSPENDED;
                }
                return giveBack(wrapper);
            } else if (state == CLOSING) {
                return SocketState.CLOSED;
            } else if (status == SocketEvent.OPEN_WRITE && awaitingWrite) {
                awaitingWrite = false;
                run(holder::writable);
            }
            if (status == SocketEvent.OPEN_READ && state == HOLDING) {
                int read = wrapper.read(false, ByteBuffer.allocate(1));
                if (read != 0) {
                    closeAfterAnswer = true;
                    interrupt(read < 0 || kind == Kind.STREAM);
                    if (read < 0 || kind == Kind.STREAM) {
                        state = CLOSING;
                        return SocketState.CLOSED;
                    }
                }
            }
        } catch (IOException e) {
            state = CLOSING;
            interrupt(true);
            return SocketState.CLOSED;
        }
        return SocketState.UPGRADED;
    }

    /**
     * The answer is on the wire and the client's next request is arriving: the connection goes back to Tomcat,
     * which releases this processor and reads the request with a processor from its cache.
     */
    private SocketState giveBack(SocketWrapperBase<?> wrapper) {
        wrapper.registerReadInterest();
        return SocketState.OPEN;
    }

    /**
     * Sends a long poll's answer: status line, the request's headers, {@code headers}, {@code Content-Type},
     * {@code Content-Length}, {@code Date}, then the body, with blocking writes (bounded by the write timeout),
     * flushed before this returns. The connection then waits for the client's next request under Tomcat's
     * keep-alive timeout; when it comes, and once {@link #release} was called, the connection goes back to Tomcat
     * ({@link #upgradeDispatch}), so a wake-up of many polls costs no container dispatch per poll. False, sending
     * nothing, when the connection was already answered or interrupted.
     */
    public boolean answer(int status, Map<String, List<String>> headers, String contentType, byte[] body) {
        SocketWrapperBase<?> wrapper = socket;
        ReentrantLock lock = wrapper.getLock();
        boolean close;
        lock.lock();
        try {
            if (state != HOLDING) {
                return false;
            }
            byte[] start = answerHead(status, headers, contentType, body.length);
            try {
                write(wrapper, start, headOnly ? EMPTY : body);
                state = closeAfterAnswer ? CLOSING : ANSWERED;
            } catch (IOException e) {
                state = CLOSING;
            }
            close = state == CLOSING;
            uncount();
            if (!close) {
                // idle from now on, as Tomcat counts keep-alive
                wrapper.setReadTimeout(keepAliveTimeout);
                if (wrapper instanceof NioEndpoint.NioSocketWrapper nio) {
                    nio.updateLastRead();
                }
            }
        } finally {
            lock.unlock();
        }
        if (close) {
            wrapper.processSocket(SocketEvent.OPEN_WRITE, true);
        }
        return true;
    }

    /**
     * Writes {@code head} and {@code body} and flushes them, blocking (bounded by the write timeout). On a plain
     * connection with nothing of Tomcat's buffered, both go in one gathering write straight from their arrays,
     * which is one system call however large the body; the socket's 8 KiB buffer would take an answer of more
     * than 8 KiB in several (a service of 16 instances or more). Whatever the socket does not take at once, and
     * every answer over TLS (whose bytes must pass the TLS engine), goes through Tomcat's blocking writes.
     */
    private static void write(SocketWrapperBase<?> wrapper, byte[] head, byte[] body) throws IOException {
        ByteBuffer first = ByteBuffer.wrap(head);
        ByteBuffer second = ByteBuffer.wrap(body);
        if (wrapper instanceof NioEndpoint.NioSocketWrapper nio && nio.getSocket().getClass() == NioChannel.class
                && !wrapper.hasDataToWrite()) {
            nio.getSocket().write(new ByteBuffer[] {first, second}, 0, 2);
            if (!second.hasRemaining()) {
                return;
            }
        }
        wrapper.write(true, first);
        wrapper.write(true, second);
        wrapper.flush(true);
    }

    /**
     * After {@link #answer}: the connection may take the client's next request now. A wake-up releases its polls
     * only once every answer is flushed, so the clients' next requests (which arrive as soon as their answers
     * do) do not take the cores from the answers still being written.
     */
    public void release() {
        SocketWrapperBase<?> wrapper = socket;
        ReentrantLock lock = wrapper.getLock();
        lock.lock();
        try {
            released = true;
            if (waitingForRelease) {
                waitingForRelease = false;
                wrapper.registerReadInterest();
            }
        } finally {
            lock.unlock();
        }
    }

    private byte[] answerHead(int status, Map<String, List<String>> headers, String contentType, int length) {
        StringBuilder text = new StringBuilder(160).append("HTTP/1.1 ").append(status).append(" \r\n");
        text.append(head);
        headers.forEach((name, values) -> values.forEach(v -> text.append(name).append(": ").append(v).append("\r\n")));
        text.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(length)
                .append("\r\nDate: ").append(FastHttpDateFormat.getCurrentDate()).append("\r\n");
        if (closeAfterAnswer) {
            text.append("Connection: close\r\n");
        }
        return text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Whether a stream's socket takes more bytes now; when it does not, {@link Holder#writable} follows once it
     * does. After a false, do not ask again before that callback.
     */
    public boolean isReady() {
        SocketWrapperBase<?> wrapper = socket;
        ReentrantLock lock = wrapper.getLock();
        lock.lock();
        try {
            if (state != HOLDING || awaitingWrite) {
                return false;
            }
            awaitingWrite = !wrapper.isReadyForWrite();
            return !awaitingWrite;
        } finally {
            lock.unlock();
        }
    }

    /** Writes a stream's frame without blocking (what the socket does not take now is kept and sent later). */
    public void write(byte[] bytes) throws IOException {
        whileHolding(wrapper -> wrapper.write(false, bytes, 0, bytes.length));
    }

    /** Flushes a stream's written frames without blocking. */
    public void flush() throws IOException {
        whileHolding(wrapper -> wrapper.flush(false));
    }

    private interface SocketWork {
        void run(SocketWrapperBase<?> wrapper) throws IOException;
    }

    /** Runs {@code work} under the socket's lock while the connection is held; fails once it is not. */
    private void whileHolding(SocketWork work) throws IOException {
        SocketWrapperBase<?> wrapper = socket;
        ReentrantLock lock = wrapper.getLock();
        lock.lock();
        try {
            if (state != HOLDING) {
                throw new IOException("connection no longer held");
            }
            work.run(wrapper);
        } finally {
            lock.unlock();
        }
    }

    /** Ends a stream (or gives up on an answer): the connection is closed once what was written is flushed. */
    public void close() {
        SocketWrapperBase<?> wrapper = socket;
        ReentrantLock lock = wrapper.getLock();
        lock.lock();
        try {
            if (state != HOLDING) {
                return;
            }
            state = CLOSING;
            uncount();
        } finally {
            lock.unlock();
        }
        wrapper.processSocket(SocketEvent.OPEN_WRITE, true);
    }

    /** No longer held: answered, closing or gone. */
    private void uncount() {
        if (counting.getAndSet(2) == 1) {
            heldCount.decrementAndGet();
        }
    }

    private void interrupt(boolean gone) {
        uncount();
        if (interrupted.compareAndSet(false, true)) {
            run(() -> holder.interrupted(gone));
        }
    }

    private void run(Runnable task) {
        run(executor, task);
    }

    /** Runs a holder's callback on {@code executor}, or here when it is shutting down, rather than never. */
    static void run(Executor executor, Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    /** Tomcat is done with the connection (closed, or given back after an answer). */
    @Override
    public void destroy() {
        uncount();
        if (state == HOLDING) {
            state = CLOSING;
            interrupt(true);
        }
    }

    @Override
    public void timeoutAsync(long now) {
        // the holder times its own wait
    }

    @Override
    public void setSslSupport(SSLSupport sslSupport) {
        // nothing to read from it
    }

    @Override
    public void pause() {
        // held connections end with the watches on shutdown
    }
}
