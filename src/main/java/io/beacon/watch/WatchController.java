package io.beacon.watch;

import io.beacon.api.InvalidRequestException;
import io.beacon.api.Violation;
import io.beacon.registry.ServiceName;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /watch?name=X}: a Server-Sent-Events stream of one service's changes ({@code GET /watch}:
 * every service). The response is driven with Servlet non-blocking writes, so open streams hold no
 * thread and a slow reader never blocks another.
 */
@RestController
class WatchController {

    private final WatchHub hub;
    private final WatchProperties properties;

    WatchController(WatchHub hub, WatchProperties properties) {
        this.hub = hub;
        this.properties = properties;
    }

    @GetMapping("/watch")
    void watch(@RequestParam MultiValueMap<String, String> params,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<Violation> errors = new ArrayList<>();
        for (String key : params.keySet()) {
            if (!key.equals("name")) {
                errors.add(new Violation(key, "is not a known parameter; allowed: name"));
            }
        }
        List<String> names = params.getOrDefault("name", List.of());
        ServiceName service = null;
        if (names.size() > 1) {
            errors.add(new Violation("name", "may be given once"));
        } else if (names.size() == 1) {
            if (!ServiceName.isValid(names.get(0))) {
                errors.add(new Violation("name", "must be 1 to 253 characters of letters, digits, '.', '_' or '-'"));
            } else {
                service = ServiceName.of(names.get(0));
            }
        }
        Long resumeFrom = null;
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                resumeFrom = Long.parseLong(lastEventId.trim());
            } catch (NumberFormatException e) {
                errors.add(new Violation("Last-Event-ID", "must be the id of an event this stream sent (a number)"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        // a stream is never followed by another request on its connection; closing it when the stream
        // ends also makes cutting a slow consumer a real disconnect
        response.setHeader("Connection", "close");
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        ServletOutputStream out = response.getOutputStream();
        StreamSubscriber[] self = new StreamSubscriber[1];
        StreamSubscriber subscriber = new StreamSubscriber(service, async, out, properties.queueCapacity(),
                hub.sender(), why -> hub.ended(self[0], why));
        self[0] = subscriber;
        async.addListener(subscriber);
        out.setWriteListener(subscriber);
        hub.subscribe(subscriber, resumeFrom);
    }
}
