package io.beacon.outlier;

import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceNotFoundException;
import io.beacon.registry.Registry;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /report}: clients tell Beacon how calls to an instance went. The body is one report
 * {@code {"name","id","outcome":"success"|"failure","latencyMs"?}}, a JSON array of them, or
 * {@code {"reports":[...]}}. The whole body is validated first (and every instance must be registered):
 * a rejected request records nothing.
 */
@RestController
@ConditionalOnProperty(name = "beacon.outlier.enabled", havingValue = "true", matchIfMissing = true)
public class ReportController {

    private final OutlierDetector detector;
    private final Registry registry;

    public ReportController(OutlierDetector detector, Registry registry) {
        this.detector = detector;
        this.registry = registry;
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

    @PostMapping(path = "/report", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ReportResponse report(@RequestBody JsonNode body) {
        List<Reports.Report> reports = Reports.parse(body);
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
        return new ReportResponse(reports.size(), recorded, results);
    }

}
