package io.beacon.watch;

import io.beacon.web.ApiDocs;
import io.beacon.web.InputRules;
import io.beacon.web.InvalidRequestException;
import io.beacon.web.LeanWatchers;
import io.beacon.web.Violation;
import io.beacon.registry.ServiceName;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ProblemDetail;
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
@Tag(name = "Watches", description = "Follow changes as they happen over Server-Sent Events")
class WatchController {

    private static final String EVENT_STREAM = "text/event-stream";

    private static final String SNAPSHOT_FRAME = """
            id: 41
            event: snapshot
            data: {"name":"orders","index":41,"instances":[{"id":"10.0.0.5:8080","name":"orders",\
            "address":"10.0.0.5","port":8080,"status":"UP","zone":"eu-west-1a","version":"1.4.2"}]}

            """;

    private static final String CHANGE_FRAME = """
            id: 42
            event: status_changed
            data: {"kind":"status_changed","name":"orders","index":42,"instance":{"id":"10.0.0.5:8080",\
            "name":"orders","address":"10.0.0.5","port":8080,"status":"OUT_OF_SERVICE"}}

            """;

    private static final String LAST_EVENT_ID_INVALID_EXAMPLE = """
            {"type":"about:blank","title":"Invalid request","status":400,\
            "detail":"Invalid 'Last-Event-ID': must be the id of an event this stream sent (a number)",\
            "instance":"/watch","errors":[{"field":"Last-Event-ID",\
            "message":"must be the id of an event this stream sent (a number)"}]}""";

    private static final String UNKNOWN_PARAMETER_EXAMPLE = """
            {"type":"about:blank","title":"Invalid request","status":400,\
            "detail":"Invalid 'service': is not a known parameter; allowed: name","instance":"/watch",\
            "errors":[{"field":"service","message":"is not a known parameter; allowed: name"}]}""";

    private static final String TOO_MANY_EXAMPLE = """
            {"type":"about:blank","title":"Too many watchers","status":429,\
            "detail":"Limit 'watchers-per-client' of 1000 watchers (open streams and held blocking queries) \
            for 10.0.0.9 reached; close one or retry after 5 s","instance":"/watch",\
            "limit":"watchers-per-client","value":1000}""";

    private final WatchHub hub;
    private final WatchProperties properties;
    private final WatcherSlots slots;
    private final LeanWatchers lean;

    WatchController(WatchHub hub, WatchProperties properties, WatcherSlots slots, ObjectProvider<LeanWatchers> lean) {
        this.hub = hub;
        this.properties = properties;
        this.slots = slots;
        this.lean = lean.getIfAvailable();
    }

    @Operation(summary = "Stream changes as Server-Sent Events",
            description = "With `name`, streams one service's changes; without it, every service's. The first "
                    + "event is `snapshot` (one service: `{name, index, instances}`, every instance whatever its "
                    + "status; all services: `{position, services}`). Then one event per change, named "
                    + "`registered`, `updated`, `status_changed`, `deregistered` or `evicted`, with data "
                    + "`{kind, name, index, instance}`. The SSE `id` is the service's index (all services: a "
                    + "stream position). Idle streams get a `: keep-alive` comment. Reconnect with "
                    + "`Last-Event-ID` to resume: missed changes still in history are replayed, otherwise "
                    + "the stream starts with a fresh `snapshot`. A subscriber that falls too far behind is "
                    + "disconnected and resumes the same way.")
    @Parameter(name = "name", in = ParameterIn.QUERY, description = "Service to watch; omit to watch every "
            + "service", example = "orders")
    @ApiResponse(responseCode = "200", description = "The event stream (`Connection: close` when it ends)",
            content = @Content(mediaType = EVENT_STREAM, schema = @Schema(type = "string"),
                    examples = {@ExampleObject(name = "snapshot", summary = "First event of a one-service stream",
                            value = SNAPSHOT_FRAME),
                        @ExampleObject(name = "change", summary = "A change", value = CHANGE_FRAME)}))
    @ApiResponse(responseCode = "429", description = "A watcher limit is reached (`beacon.limits.max-watchers-per-client` "
            + "or `beacon.limits.max-watchers`); the problem names it, `Retry-After` says when to retry",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(name = "watchers-per-client", value = TOO_MANY_EXAMPLE)))
    @ApiResponse(responseCode = "400", description = "An unknown parameter, an invalid or repeated `name`, or a "
            + "`Last-Event-ID` that is not a number; `errors` names each",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = {@ExampleObject(name = "last-event-id", value = LAST_EVENT_ID_INVALID_EXAMPLE),
                        @ExampleObject(name = "unknown-parameter", value = UNKNOWN_PARAMETER_EXAMPLE)}))
    @GetMapping("/watch")
    void watch(@Parameter(hidden = true) @RequestParam MultiValueMap<String, String> params,
            @Parameter(description = "Id of the last event received, to resume a stream after a disconnect "
                    + "(browsers' EventSource sends it on its own)", example = "41")
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
            service = InputRules.name("name", names.get(0), errors);
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
        if ("HEAD".equals(request.getMethod())) {
            head(response); // a stream's headers, no stream
            return;
        }
        boolean held = lean != null && lean.prepareToHold(request);
        WatcherSlots.Slot slot = slots.acquire(request.getRemoteAddr());
        try {
            open(service, resumeFrom, slot, held, request, response);
        } catch (IOException | RuntimeException e) {
            slot.release();
            throw e;
        }
    }

    private static void head(HttpServletResponse response) {
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        // a stream is never followed by another request on its connection; closing it when the stream
        // ends also makes cutting a slow consumer a real disconnect
        response.setHeader("Connection", "close");
    }

    private void open(ServiceName service, Long resumeFrom, WatcherSlots.Slot slot, boolean held,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        head(response);
        StreamSubscriber.Out out = null;
        AsyncContext async = null;
        if (!held) {
            async = request.startAsync();
            async.setTimeout(0);
            out = StreamSubscriber.servlet(async, response.getOutputStream());
        }
        StreamSubscriber[] self = new StreamSubscriber[1];
        StreamSubscriber subscriber = new StreamSubscriber(service, out, properties.queueCapacity(), hub.threads(),
                properties.keepAlive(), why -> {
                    slot.release();
                    hub.ended(self[0], why);
                });
        self[0] = subscriber;
        if (held) {
            lean.holdStream(request, subscriber, hub.threads());
        } else {
            async.addListener(subscriber);
            response.getOutputStream().setWriteListener(subscriber);
        }
        hub.subscribe(subscriber, resumeFrom);
    }
}
