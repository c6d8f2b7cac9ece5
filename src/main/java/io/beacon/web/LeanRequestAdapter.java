package io.beacon.web;

import java.lang.reflect.Field;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.CoyoteAdapter;
import org.apache.catalina.connector.InputBuffer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.coyote.Adapter;
import org.apache.tomcat.util.net.SocketEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's adapter with smaller per-request buffers. For each request processor Tomcat creates a servlet
 * request and response that keep, for as long as the processor lives (a held long poll, an open watch stream,
 * the processor cache), 8 KiB of response bytes, 8 Ki characters for the response's writer and 8 Ki
 * characters for the request's reader: 40 KB a connection, half of what a held watcher costs. This adapter
 * creates the pair before Tomcat's own adapter would, with the sizes of {@link ConnectorProperties}, and then
 * hands every call to Tomcat's adapter unchanged.
 *
 * <p>Tomcat has no setting for the reader's size, so it is replaced through reflection; where that is refused,
 * the reader keeps Tomcat's size and a warning says so once.
 */
final class LeanRequestAdapter implements Adapter {

    private static final Logger log = LoggerFactory.getLogger(LeanRequestAdapter.class);
    private static final Field READER_BUFFER = readerBufferField();

    private final Adapter delegate;
    private final Connector connector;
    private final int responseBuffer;
    private final int readerBuffer;

    LeanRequestAdapter(Adapter delegate, Connector connector, int responseBuffer, int readerBuffer) {
        this.delegate = delegate;
        this.connector = connector;
        this.responseBuffer = responseBuffer;
        this.readerBuffer = readerBuffer;
    }

    @Override
    public void service(org.apache.coyote.Request req, org.apache.coyote.Response res) throws Exception {
        attach(req, res);
        delegate.service(req, res);
    }

    @Override
    public boolean prepare(org.apache.coyote.Request req, org.apache.coyote.Response res) throws Exception {
        attach(req, res);
        return delegate.prepare(req, res);
    }

    @Override
    public boolean asyncDispatch(org.apache.coyote.Request req, org.apache.coyote.Response res, SocketEvent status)
            throws Exception {
        return delegate.asyncDispatch(req, res, status);
    }

    @Override
    public void log(org.apache.coyote.Request req, org.apache.coyote.Response res, long time) {
        attach(req, res);
        delegate.log(req, res, time);
    }

    @Override
    public void checkRecycled(org.apache.coyote.Request req, org.apache.coyote.Response res) {
        delegate.checkRecycled(req, res);
    }

    @Override
    public String getDomain() {
        return delegate.getDomain();
    }

    /** What Tomcat's adapter does on a processor's first request, with the configured sizes. */
    private void attach(org.apache.coyote.Request req, org.apache.coyote.Response res) {
        if (req.getNote(CoyoteAdapter.ADAPTER_NOTES) != null) {
            return;
        }
        Request request = connector.createRequest(req);
        if (READER_BUFFER != null) {
            try {
                READER_BUFFER.set(request, new InputBuffer(readerBuffer, req));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("the request's reader buffer could not be replaced", e);
            }
        }
        Response response = new Response(res, responseBuffer);
        request.setResponse(response);
        response.setRequest(request);
        req.setNote(CoyoteAdapter.ADAPTER_NOTES, request);
        res.setNote(CoyoteAdapter.ADAPTER_NOTES, response);
    }

    private static Field readerBufferField() {
        try {
            Field field = Request.class.getDeclaredField("inputBuffer");
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException | RuntimeException e) {
            log.warn("Each request's reader keeps Tomcat's 8 Ki characters: {}", e.toString());
            return null;
        }
    }
}
