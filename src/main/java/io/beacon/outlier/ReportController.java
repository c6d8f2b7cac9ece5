package io.beacon.outlier;

import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceNotFoundException;
import io.beacon.registry.Registry;
import io.beacon.registry.ServiceName;
import io.beacon.security.Scope;
import io.beacon.security.ServiceAccess;
import io.beacon.web.ApiDocs;
import io.beacon.web.Headers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /report}: clients tell Beacon how calls to an instance went. The body is one report
 * {@code {"name","id","outcome":"success"|"failure","latencyMs"?}}, a JSON array of them, or
 * {@code {"reports":[...]}}. The whole body is validated first (and every instance must be registered):
 * a rejected request records nothing. The answer carries {@code X-Beacon-Index}: one value per service the
 * reports name, in the order the services first appear in the body (and in {@code results}), each that
 * service's index after the reports were applied.
 */
@RestController
@ConditionalOnProperty(name = "beacon.outlier.enabled", havingValue = "true", matchIfMissing = true)
@Tag(name = "Outlier detection", description = "Clients report how calls went; failing instances are ejected")
public class ReportController {

    private static final String SINGLE_EXAMPLE = """
            {"name":"orders","id":"10.0.0.5:8080","outcome":"failure","latencyMs":1250}""";

    private static final String ARRAY_EXAMPLE = """
            [{"name":"orders","id":"10.0.0.5:8080","outcome":"success","latencyMs":12},\
            {"name":"orders","id":"10.0.0.6:8080","outcome":"failure"}]""";

    private static final String BATCH_EXAMPLE = """
            {"reports":[{"name":"orders","id":"10.0.0.5:8080","outcome":"success","latencyMs":12},\
            {"name":"orders","id":"10.0.0.6:8080","outcome":"failure"}]}""";

    private static final String RESPONSE_EXAMPLE = """
            {"accepted":1,"recorded":1,"results":[{"name":"orders","id":"10.0.0.5:8080","breaker":"OPEN",\
            "recorded":true,"ejected":true,"ejectedUntil":"2026-03-01T12:00:30Z"}]}""";

    private static final String REPORT_INVALID_EXAMPLE = """
            {"type":"about:blank","title":"Invalid request","status":400,\
            "detail":"Invalid 'outcome': must be \\"success\\" or \\"failure\\"","instance":"/report",\
            "errors":[{"field":"outcome","message":"must be \\"success\\" or \\"failure\\""}]}""";

    private static final String TOO_LARGE_EXAMPLE = """
            {"type":"about:blank","title":"Content too large","status":413,\
            "detail":"The request body exceeds the limit of 65536 bytes.","instance":"/report"}""";

    private static final String REPORT_NOT_FOUND_EXAMPLE = """
            {"type":"about:blank","title":"Instance not found","status":404,\
            "detail":"Instance '10.0.0.5:8080' of service 'orders' is not registered. Register it again with \
            POST /register.","instance":"/report"}""";

    private final OutlierDetector detector;
    private final Registry registry;
    private final ServiceAccess access;

    public ReportController(OutlierDetector detector, Registry registry, ServiceAccess access) {
        this.detector = detector;
        this.registry = registry;
        this.access = access;
    }

    /** What Beacon did with the reports. */
    public record ReportResponse(int accepted, int recorded, List<Result> results) {
    }

    /**
     * One report's effect.
     *
     * @param recorded false when the breaker did not take it (ejected, or HALF_OPEN calls used up)
     */
    public record Result(String name, String id, String breaker, boolean recorded, boolean ejected,
            String ejectedUntil) {
    }

    @Operation(summary = "Report call outcomes",
            description = "Tells Beacon how calls to instances went, as one report, a JSON array of reports or "
                    + "`{\"reports\":[...]}` (at most 1000). `outcome` is `success` or `failure`; `latencyMs` is "
                    + "optional. Consecutive failures open an instance's breaker and eject it from discovery "
                    + "for a while. The whole body is validated first and every instance must be registered: "
                    + "a rejected request records nothing.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(types = {"object", "array"},
                                    description = "A report, an array of reports, or {\"reports\":[...]}"),
                            examples = {@ExampleObject(name = "single", value = SINGLE_EXAMPLE),
                                @ExampleObject(name = "array", value = ARRAY_EXAMPLE),
                                @ExampleObject(name = "batch", value = BATCH_EXAMPLE)})))
    @ApiResponse(responseCode = "200", description = "What each report did to its instance's breaker",
            headers = @Header(name = Headers.INDEX, description = "Each reported service's index after the "
                    + "reports, one value per service in the order the services first appear in the body",
                    schema = @Schema(type = "integer", format = "int64")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = ReportResponse.class),
                    examples = @ExampleObject(value = RESPONSE_EXAMPLE)))
    @ApiResponse(responseCode = "400", description = "An invalid report; `errors` names each field, e.g. "
            + "`reports[2].outcome`",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = {@ExampleObject(name = "invalid", value = REPORT_INVALID_EXAMPLE),
                        @ExampleObject(name = "malformed", value = ApiDocs.MALFORMED_EXAMPLE)}))
    @ApiResponse(responseCode = "404", description = "A reported instance is not registered",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = REPORT_NOT_FOUND_EXAMPLE)))
    @ApiResponse(responseCode = "413", description = "Body over `beacon.limits.max-body-bytes`",
            content = @Content(mediaType = ApiDocs.PROBLEM, schema = @Schema(implementation = ProblemDetail.class),
                    examples = @ExampleObject(value = TOO_LARGE_EXAMPLE)))
    @PostMapping(path = "/report", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ReportResponse> report(@RequestBody JsonNode body) {
        List<Reports.Report> reports = Reports.parse(body);
        // every service of the batch before anything is recorded: a batch mixing services is refused whole
        access.requireAll(Scope.REGISTER, reports.stream().map(Reports.Report::key).toList());
        for (Reports.Report r : reports) {
            if (registry.get(r.key()).isEmpty()) {
                throw new InstanceNotFoundException(r.key());
            }
        }
        List<Result> results = new ArrayList<>(reports.size());
        int recorded = 0;
        for (Reports.Report r : reports) {
            InstanceKey key = r.key();
            OutlierDetector.Outcome outcome = detector.report(key, r.success(), r.latencyMs())
                    .orElseThrow(() -> new InstanceNotFoundException(key));
            if (outcome.recorded()) {
                recorded++;
            }
            results.add(new Result(key.service().value(), key.id(), outcome.breaker().name(), outcome.recorded(),
                    outcome.ejected(), outcome.ejectedUntil() == null ? null : outcome.ejectedUntil().toString()));
        }
        Set<ServiceName> services = new LinkedHashSet<>();
        reports.forEach(r -> services.add(r.key().service()));
        String[] indexes = services.stream().map(s -> Long.toString(registry.index(s))).toArray(String[]::new);
        return ResponseEntity.ok().header(Headers.INDEX, indexes)
                .body(new ReportResponse(reports.size(), recorded, results));
    }

}
