package io.beacon.outlier;

import io.beacon.web.InputRules;
import io.beacon.web.InvalidRequestException;
import io.beacon.web.JsonTypes;
import io.beacon.web.Violation;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.ServiceName;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Parses and validates the body of {@code POST /report}, reporting every violation at once. Types are
 * strict: {@code name}, {@code id} and {@code outcome} are strings, {@code latencyMs} is a JSON integer;
 * unknown fields are rejected, since a misspelt {@code outcome} would otherwise count as something else.
 */
final class Reports {

    /** Most reports in one request. */
    static final int MAX_BATCH = 1000;

    private static final Set<String> FIELDS = Set.of("name", "id", "outcome", "latencyMs");

    record Report(InstanceKey key, boolean success, long latencyMs) {
    }

    private Reports() {
    }

    static List<Report> parse(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            throw new InvalidRequestException("body", "a report object, an array of reports or {\"reports\":[...]} is required");
        }
        List<Violation> errors = new ArrayList<>();
        List<Report> reports = new ArrayList<>();
        if (body.isArray()) {
            batch(body, "", errors, reports);
        } else if (body.isObject() && body.has("reports")) {
            if (body.size() != 1) {
                errors.add(new Violation("reports", "must be the only field of a batch"));
            }
            JsonNode list = body.get("reports");
            if (!list.isArray()) {
                errors.add(new Violation("reports", "must be an array of reports"));
            } else {
                batch(list, "reports", errors, reports);
            }
        } else {
            one(body, "", errors, reports);
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return reports;
    }

    private static void batch(JsonNode list, String prefix, List<Violation> errors, List<Report> reports) {
        String field = prefix.isEmpty() ? "body" : prefix;
        if (list.isEmpty()) {
            errors.add(new Violation(field, "must hold at least one report"));
            return;
        }
        if (list.size() > MAX_BATCH) {
            errors.add(new Violation(field, "holds " + list.size() + " reports; at most " + MAX_BATCH + " per request"));
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            one(list.get(i), prefix + "[" + i + "].", errors, reports);
        }
    }

    private static void one(JsonNode node, String prefix, List<Violation> errors, List<Report> reports) {
        if (!node.isObject()) {
            errors.add(new Violation(prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1),
                    "must be a report object"));
            return;
        }
        int before = errors.size();
        for (String name : node.propertyNames()) {
            if (!FIELDS.contains(name)) {
                errors.add(new Violation(prefix + name, "is not a known field; allowed: name, id, outcome, latencyMs"));
            }
        }
        String rawName = JsonTypes.string(node, "name", prefix + "name", errors);
        ServiceName name = isWrongType(node, "name") ? null : InputRules.name(prefix + "name", rawName, errors);
        String id = JsonTypes.string(node, "id", prefix + "id", errors);
        if (id == null || id.isBlank()) {
            required(node, "id", prefix + "id", errors);
        }
        String outcome = JsonTypes.string(node, "outcome", prefix + "outcome", errors);
        if (outcome != null ? !"success".equals(outcome) && !"failure".equals(outcome) : !isWrongType(node, "outcome")) {
            errors.add(new Violation(prefix + "outcome", "must be \"success\" or \"failure\""));
        }
        Integer latency = JsonTypes.integer(node, "latencyMs", prefix + "latencyMs", errors);
        if (latency != null && (latency < 0 || latency > 86_400_000)) {
            errors.add(new Violation(prefix + "latencyMs", "must be a whole number of milliseconds between 0 and 86400000"));
        }
        if (errors.size() == before) {
            reports.add(new Report(new InstanceKey(name, id), "success".equals(outcome), latency == null ? 0 : latency));
        }
    }

    /** A violation for a missing or blank string (a value of another type has one already). */
    private static void required(JsonNode node, String property, String field, List<Violation> errors) {
        if (!isWrongType(node, property)) {
            errors.add(new Violation(field, "is required"));
        }
    }

    private static boolean isWrongType(JsonNode node, String property) {
        JsonNode v = node.get(property);
        return v != null && !v.isNull() && !v.isString();
    }
}
