package io.beacon.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answer as a problem: requests Jetty rejects itself, before they reach Beacon (a
 * malformed request line, headers over {@code server.max-http-request-header-size}, an undecodable or
 * ambiguous path), get {@code application/problem+json} like every other error instead of Jetty's HTML
 * page. Nothing internal is shown: neither Jetty's message nor the cause.
 */
class ProblemErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) throws IOException {
        int status = code < 400 ? 500 : code;
        String detail = switch (status) {
            case 400 -> "The request could not be read: check that its path is percent-encoded UTF-8 without encoded "
                    + "'/', '\\' or control characters, and that its request line and headers are well formed.";
            case 431 -> "The request's headers are too large: send at most 8 KiB of request line and headers.";
            default -> status >= 500 ? "The request could not be completed because of an error in Beacon."
                    : "The request was rejected: " + ProblemResponses.title(status) + ".";
        };
        byte[] body = ProblemResponses.body(status, ProblemResponses.title(status), detail, null, List.of());
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
