package io.beacon.eureka;

import io.beacon.web.JsonTypes;
import io.beacon.web.Violation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Reads the fields of a Eureka {@code InstanceInfo} JSON tree strictly, with Eureka's own encodings:
 * each reader adds a {@link Violation} naming the Eureka field when a value has the wrong JSON type.
 */
final class EurekaFields {

    private EurekaFields() {
    }

    /** A port: its number and whether it is enabled. */
    record Port(int number, boolean enabled) {
    }

    static Port port(JsonNode node, String field, int fallback, boolean enabledByDefault,
            List<Violation> errors) {
        JsonNode port = node.get(field);
        if (port == null || port.isNull()) {
            return new Port(fallback, enabledByDefault);
        }
        if (port.isIntegralNumber()) {
            Integer n = JsonTypes.integer(node, field, field, errors);
            return new Port(n == null ? fallback : n, true);
        }
        if (!port.isObject()) {
            errors.add(new Violation(field, JsonTypes.mismatch("an object {\"$\":port,\"@enabled\":\"true\"}",
                    JsonTypes.of(port))));
            return new Port(fallback, false);
        }
        Integer n = JsonTypes.integer(port, "$", field + ".$", errors);
        JsonNode e = port.get("@enabled");
        boolean enabled = true;
        if (e != null && !e.isNull()) {
            if (e.isBoolean()) {
                enabled = e.asBoolean();
            } else if (e.isString()) {
                enabled = "true".equalsIgnoreCase(e.asString());
            } else {
                errors.add(new Violation(field + ".@enabled", JsonTypes.mismatch("\"true\" or \"false\"",
                        JsonTypes.of(e))));
            }
        }
        return new Port(n == null ? fallback : n, enabled);
    }

    /** A violation for a missing or blank required string (a value of another type has one already). */
    static void required(JsonNode node, String property, String field, List<Violation> errors) {
        JsonNode value = node.get(property);
        if (value == null || value.isNull() || value.isString()) {
            errors.add(new Violation(field, "is required"));
        }
    }

    static JsonNode object(JsonNode node, String field, List<Violation> errors) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            errors.add(new Violation(field, JsonTypes.mismatch("an object", JsonTypes.of(value))));
            return null;
        }
        return value;
    }

    /** A string map; {@code @class} keys (Eureka's type hints) are skipped, other values must be strings. */
    static Map<String, String> stringMap(JsonNode parent, String property, String field,
            List<Violation> errors) {
        Map<String, String> result = new LinkedHashMap<>();
        JsonNode node = parent == null ? null : object(parent, property, errors);
        if (node != null) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("@class")) {
                    return;
                }
                if (e.getValue().isString()) {
                    result.put(e.getKey(), e.getValue().asString());
                } else {
                    errors.add(new Violation(field + "." + e.getKey(),
                            JsonTypes.mismatch("a string", JsonTypes.of(e.getValue()))));
                }
            });
        }
        return result;
    }

    /** An integer field as text; Eureka writes some (timestamps) as strings, accepted when {@code orString}. */
    static String integerText(JsonNode node, String property, String field, boolean orString,
            List<Violation> errors) {
        JsonNode value = node == null ? null : node.get(property);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return Long.toString(value.asLong());
        }
        if (orString && value.isString()) {
            return value.asString();
        }
        errors.add(new Violation(field, JsonTypes.mismatch(orString ? "an integer or a string" : "an integer",
                JsonTypes.of(value))));
        return null;
    }

    static String text(JsonNode node, String field, List<Violation> errors) {
        return text(node, field, field, errors);
    }

    static String text(JsonNode node, String property, String field, List<Violation> errors) {
        String s = JsonTypes.string(node, property, field, errors);
        return s == null || s.isBlank() ? null : s;
    }
}
