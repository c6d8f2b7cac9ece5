package io.beacon.web;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's error report as a problem: requests Tomcat rejects itself, before they reach Beacon (an
 * undecodable or encoded-slash path, for example), get {@code application/problem+json} like every
 * other error instead of Tomcat's HTML page. Nothing internal is shown.
 */
class ProblemReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        String detail = status == 400
                ? "The request could not be read: check that its path is percent-encoded UTF-8 without encoded "
                        + "'/', '\\' or control characters, and that its headers are well formed."
                : status >= 500 ? "The request could not be completed because of an error in Beacon."
                        : "The request was rejected: " + ProblemResponses.title(status) + ".";
        try {
            byte[] body = ProblemResponses.body(status, ProblemResponses.title(status), detail, null, List.of());
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the client has gone or the response cannot be written any more: nothing to report to
        }
    }
}
