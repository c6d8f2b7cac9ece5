package io.beacon.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps Spring MVC's reflected-file-download guard off Beacon's JSON answers. Spring adds
 * {@code Content-Disposition: inline;filename=f.txt} to a 2xx answer whose last path segment looks like a
 * file name with an extension it does not know, so that a browser never saves a response as, say,
 * {@code x.bat}; with instance ids like {@code 10.0.0.5:8080} that is nearly every heartbeat and instance
 * URL. Spring offers no switch for it (the extensions it trusts are a fixed list plus the registered
 * content-negotiation extensions, and ids are not extensions), so this filter holds that exact header back
 * until the body starts and drops it when the answer is JSON ({@code application/json},
 * {@code application/problem+json}, any {@code +json}). Any other answer (Eureka XML, Prometheus text,
 * documentation pages) keeps it.
 *
 * <p>Spring's guard looks only at the last path segment, and only when it has an extension ({@code .}) or path
 * parameters ({@code ;}), possibly percent-encoded; every other request (discovery, registration, Eureka
 * reads, the actuator) passes this filter without a wrapped response.
 */
@Component
@Order(FilterOrder.DOWNLOAD_GUARD)
class DownloadGuardFilter extends OncePerRequestFilter {

    /** The exact value Spring MVC's guard sets. */
    static final String GUARD = "inline;filename=f.txt";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        GuardedResponse guarded = new GuardedResponse(response);
        try {
            chain.doFilter(request, guarded);
        } finally {
            guarded.settle();
        }
    }

    /** Requests whose last path segment Spring's guard cannot take for a file name are not wrapped. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !mayLookLikeFile(request.getRequestURI());
    }

    /** Whether the last segment of {@code uri} has a {@code .}, a {@code ;} or a percent-encoded character. */
    static boolean mayLookLikeFile(String uri) {
        if (uri == null) {
            return false;
        }
        for (int i = uri.length() - 1; i >= 0; i--) {
            char c = uri.charAt(i);
            if (c == '/') {
                return false;
            }
            if (c == '.' || c == ';' || c == '%') {
                return true;
            }
        }
        return false;
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return "application".equals(type.getType())
                    && ("json".equals(type.getSubtype()) || type.getSubtype().endsWith("+json"));
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    /** Holds the guard header back until the content type is known: the body starts, or the request ends. */
    private static final class GuardedResponse extends HttpServletResponseWrapper {

        private boolean held;

        GuardedResponse(HttpServletResponse response) {
            super(response);
        }

        private boolean hold(String name, String value) {
            if (HttpHeaders.CONTENT_DISPOSITION.equalsIgnoreCase(name) && GUARD.equals(value)) {
                held = true;
                return true;
            }
            return false;
        }

        /** Sets the held header unless the answer is JSON; once only. */
        void settle() {
            if (!held) {
                return;
            }
            held = false;
            if (!isJson(getContentType()) && !isCommitted()) {
                super.setHeader(HttpHeaders.CONTENT_DISPOSITION, GUARD);
            }
        }

        @Override
        public void setHeader(String name, String value) {
            if (!hold(name, value)) {
                super.setHeader(name, value);
            }
        }

        @Override
        public void addHeader(String name, String value) {
            if (!hold(name, value)) {
                super.addHeader(name, value);
            }
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            settle();
            return super.getOutputStream();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            settle();
            return super.getWriter();
        }

        @Override
        public void flushBuffer() throws IOException {
            settle();
            super.flushBuffer();
        }
    }
}
