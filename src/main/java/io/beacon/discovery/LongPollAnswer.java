package io.beacon.discovery;

import io.beacon.watch.Waiter;
import io.beacon.web.Headers;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * A discovery answer ready to be written to any number of held requests: status, headers and the JSON
 * body serialised once. It carries exactly what {@code /discover} sends ({@code Content-Type:
 * application/json}, {@code X-Beacon-Index}, {@code X-Beacon-Panic} when set), so a woken long poll
 * cannot be told apart from a plain discovery.
 */
record LongPollAnswer(int status, Map<String, List<String>> headers, byte[] body) implements Waiter.Prepared {

    static final String CONTENT_TYPE = "application/json";

    /** Serialises {@code entity}'s body with the same mapper Spring MVC uses. */
    static LongPollAnswer of(ResponseEntity<Responses.Discovery> entity, JsonMapper json) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        entity.getHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
        return new LongPollAnswer(entity.getStatusCode().value(), Collections.unmodifiableMap(headers),
                json.writeValueAsBytes(entity.getBody()));
    }

    /**
     * A cached plain discovery answer, its bytes shared: the headers {@code /discover} sends with it, in the
     * same order as {@link #of(ResponseEntity, JsonMapper)} gives them.
     */
    static LongPollAnswer of(DiscoveryCache.Answer answer) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put(Headers.INDEX, List.of(Long.toString(answer.index())));
        if (answer.panic()) {
            headers.put(DiscoveryController.PANIC_HEADER, List.of("true"));
        }
        return new LongPollAnswer(200, Collections.unmodifiableMap(headers), answer.body());
    }

    /** Writes status, headers and body; the caller completes the request. */
    void writeTo(HttpServletResponse response) throws IOException {
        response.setStatus(status);
        headers.forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
        response.setContentType(CONTENT_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
