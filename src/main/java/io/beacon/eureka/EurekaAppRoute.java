package io.beacon.eureka;

import io.beacon.web.DirectRoute;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * {@code GET /eureka/apps/{APP}}, one application as Eureka clients fetch it, answered below MVC
 * ({@link DirectRoute}) from the same encoded answer as {@link EurekaReadController#application}. An unknown
 * application is declined, so the controller gives its 404 problem.
 */
@Component
class EurekaAppRoute implements DirectRoute {

    private final EurekaReadController reads;

    EurekaAppRoute(EurekaReadController reads) {
        this.reads = reads;
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String pattern() {
        return "/eureka/apps/{app}";
    }

    @Override
    public boolean answer(HttpServletRequest request, HttpServletResponse response, List<String> variables)
            throws IOException {
        EurekaResponses.Format format = EurekaResponses.Format.of(request.getHeader(HttpHeaders.ACCEPT),
                request.getHeader(HttpHeaders.ACCEPT_ENCODING));
        Optional<byte[]> body = reads.applicationBody(variables.get(0), format);
        if (body.isEmpty()) {
            return false;
        }
        EurekaResponses.write(response, format, body.get());
        return true;
    }
}
