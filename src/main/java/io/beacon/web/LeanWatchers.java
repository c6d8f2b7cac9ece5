package io.beacon.web;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Enumeration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.apache.coyote.ProtocolHandler;
import org.apache.coyote.UpgradeToken;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.tomcat.util.http.FastHttpDateFormat;
import org.apache.tomcat.util.http.MimeHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Lean held watchers: a long poll or a watch stream that is to be held asks for it here
 * ({@link #holdAnswer}, {@link #holdStream}) and returns from its handler without starting async processing;
 * once the filters are done, {@link HandOff} (a valve of Beacon's Tomcat context) takes the connection from
 * Tomcat's request processor and gives it to a {@link HeldConnection}. A held watcher then costs its socket
 * and buffers, about a fifth of what an asynchronous request keeps.
 * <p>
 * Every HTTP/1.x {@code GET} or {@code HEAD} is handed over ({@link #canHold}); HTTP/2 and a request without a
 * Tomcat server (a MockMvc test) are held the servlet way, as is every watcher when
 * {@code beacon.server.lean-watchers} is false.
 * {@code beacon.watchers.lean} counts the connections held lean now.
 */
@Component
public class LeanWatchers implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> {

    private static final Logger log = LoggerFactory.getLogger(LeanWatchers.class);

    /** The request attribute that carries a pending hand-off from the handler to the valve. */
    static final String PENDING = LeanWatchers.class.getName() + ".pending";

    private final boolean enabled;
    private final AtomicInteger held = new AtomicInteger();
    /** True once the valve runs in a started context: only then is a hand-off carried out. */
    private volatile boolean active;

    LeanWatchers(ConnectorProperties properties, MeterRegistry meters) {
        this.enabled = properties.leanWatchers();
        Gauge.builder("beacon.watchers.lean", held, AtomicInteger::get)
                .description("Held long polls and open watch streams whose connection is held without a request processor")
                .register(meters);
    }

    @Override
    public void customize(ConfigurableTomcatWebServerFactory factory) {
        if (enabled) {
            factory.addContextCustomizers(context -> context.getPipeline().addValve(new HandOff()));
        }
    }

    /**
     * Whether {@code request} can be handed over: the valve is running, and the request is an HTTP/1.1 or
     * HTTP/1.0 {@code GET} or {@code HEAD} on its first dispatch. A client that asked to close its connection
     * (or an HTTP/1.0 one), or whose connection has carried {@code server.tomcat.max-keep-alive-requests}, gets
     * {@code Connection: close} with the answer, and the connection closes after it.
     */
    public boolean canHold(HttpServletRequest request) {
        String method = request.getMethod();
        String protocol = request.getProtocol();
        return active && request.getDispatcherType() == DispatcherType.REQUEST
                && ("GET".equals(method) || "HEAD".equals(method))
                && ("HTTP/1.1".equals(protocol) || "HTTP/1.0".equals(protocol))
                && request.getAttribute(PENDING) == null;
    }

    /**
     * {@link #canHold}, and when it can, the request's body read and dropped first (the body of a {@code GET}
     * means nothing here), so that nothing is left for Tomcat to read once it lets go of the request. Call before
     * taking anything that must be given back (a watcher slot).
     *
     * @throws InvalidRequestException when the client stops sending the body it announced
     */
    public boolean prepareToHold(HttpServletRequest request) {
        if (!canHold(request)) {
            return false;
        }
        discardBody(request);
        return true;
    }

    private static void discardBody(HttpServletRequest request) {
        if (request.getContentLengthLong() <= 0 && request.getHeader("Transfer-Encoding") == null) {
            return;
        }
        try (InputStream in = request.getInputStream()) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new InvalidRequestException("body", "could not be read: the client stopped sending it");
        }
    }

    /** Whether the connection must close after the answer: HTTP/1.0, or the client said {@code Connection: close}. */
    static boolean closesAfter(HttpServletRequest request) {
        return !"HTTP/1.1".equals(request.getProtocol()) || asksToClose(request);
    }

    private static boolean asksToClose(HttpServletRequest request) {
        Enumeration<String> values = request.getHeaders("Connection");
        while (values.hasMoreElements()) {
            for (String token : values.nextElement().split(",")) {
                if (token.trim().equalsIgnoreCase("close")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Holds {@code request} as a long poll once its handler has returned: nothing is sent until the holder
     * calls {@link HeldConnection#answer}. The handler must not write a body. Only after {@link #prepareToHold}.
     *
     * @param executor where the holder's callbacks run
     */
    public void holdAnswer(HttpServletRequest request, HeldConnection.Holder holder, Executor executor) {
        request.setAttribute(PENDING, new Pending(HeldConnection.Kind.ANSWER, holder, executor));
    }

    /**
     * Holds {@code request} as a stream once its handler has returned: the status and headers it set are sent
     * then, the holder writes the body. The handler must not write a body. Only after {@link #prepareToHold}.
     */
    public void holdStream(HttpServletRequest request, HeldConnection.Holder holder, Executor executor) {
        request.setAttribute(PENDING, new Pending(HeldConnection.Kind.STREAM, holder, executor));
    }

    private record Pending(HeldConnection.Kind kind, HeldConnection.Holder holder, Executor executor) {
    }

    /** Carries out a pending hand-off once the request's filters and handler have returned. */
    final class HandOff extends ValveBase {

        HandOff() {
            super(true);
        }

        @Override
        protected void startInternal() throws LifecycleException {
            super.startInternal();
            active = true;
        }

        @Override
        protected void stopInternal() throws LifecycleException {
            active = false;
            super.stopInternal();
        }

        @Override
        public void invoke(Request request, Response response) throws IOException, ServletException {
            getNext().invoke(request, response);
            if (!(request.getAttribute(PENDING) instanceof Pending pending)) {
                return;
            }
            request.removeAttribute(PENDING);
            ProtocolHandler protocol = request.getConnector().getProtocolHandler();
            if (response.isCommitted() || response.isError() || request.isAsyncStarted()
                    || !(protocol instanceof AbstractHttp11Protocol<?> http)) {
                // the handler or a filter answered after all: nothing is held
                log.debug("Not held: {} {} was answered", request.getMethod(), request.getRequestURI());
                HeldConnection.run(pending.executor(), () -> pending.holder().interrupted(true));
                return;
            }
            String head = head(pending.kind(), response);
            HeldConnection connection = new HeldConnection(pending.kind(), pending.holder(), pending.executor(),
                    head, http.getKeepAliveTimeout(), http.getConnectionTimeout(), http.getMaxKeepAliveRequests(), held);
            connection.answerRules(closesAfter(request), "HEAD".equals(request.getMethod()));
            request.getCoyoteRequest().action(ActionCode.UPGRADE, new UpgradeToken(connection, null, null, "beacon-held"));
            // Tomcat writes nothing more for this request: the held connection answers it
            response.getCoyoteResponse().setCommitted(true);
        }
    }

    /**
     * What the handler and the filters set, as Tomcat would write it: for a stream the status line, every
     * header, {@code Content-Type} and {@code Date}; for an answer the header lines alone (the answer adds its own).
     */
    static String head(HeldConnection.Kind kind, Response response) {
        StringBuilder text = new StringBuilder(256);
        if (kind == HeldConnection.Kind.STREAM) {
            text.append("HTTP/1.1 ").append(response.getStatus()).append(" \r\n");
        }
        MimeHeaders headers = response.getCoyoteResponse().getMimeHeaders();
        for (int i = 0; i < headers.size(); i++) {
            text.append(headers.getName(i).toString()).append(": ").append(headers.getValue(i).toString()).append("\r\n");
        }
        if (kind == HeldConnection.Kind.STREAM) {
            String contentType = response.getContentType();
            if (contentType != null) {
                text.append("Content-Type: ").append(contentType).append("\r\n");
            }
            text.append("Date: ").append(FastHttpDateFormat.getCurrentDate()).append("\r\n\r\n");
        }
        return text.toString();
    }
}
