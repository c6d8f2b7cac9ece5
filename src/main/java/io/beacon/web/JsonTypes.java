package io.beacon.web;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;

/**
 * JSON types in user words ("an integer", "a fractional number", "an array"), for problems such as
 * "must be an integer, not a string". Used by the strict body reading of every endpoint: the shared
 * Jackson mapper's failures ({@link ApiExceptionHandler}) and the readers that walk a JSON tree
 * (Eureka registrations, reports), so both say the same thing for the same mistake.
 */
public final class JsonTypes {

    private JsonTypes() {
    }

    /** The violation message for a value of the wrong type: {@code must be an integer, not a string}. */
    public static String mismatch(String expected, String actual) {
        return "must be " + expected + ", not " + actual;
    }

    /** What a JSON value is. */
    public static String of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "null";
        }
        if (node.isString()) {
            return "a string";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isIntegralNumber()) {
            return "an integer";
        }
        if (node.isNumber()) {
            return fractional(node.asDouble());
        }
        return "an unexpected value";
    }

    /** What the value at {@code token} is; {@code value} is the value Jackson read, when it kept one. */
    public static String of(JsonToken token, Object value) {
        if (token == null) {
            return "an unexpected value";
        }
        return switch (token) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> value instanceof Number n ? fractional(n.doubleValue()) : "a fractional number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_ARRAY, END_ARRAY -> "an array";
            case START_OBJECT, END_OBJECT, PROPERTY_NAME -> "an object";
            default -> "an unexpected value";
        };
    }

    /** What a Java target type expects, in JSON terms. */
    public static String expected(Class<?> type) {
        if (type == null) {
            return "a different value";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == BigInteger.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class
                || type == BigDecimal.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (CharSequence.class.isAssignableFrom(type) || type.isEnum() || type == Character.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || JsonNode.class.isAssignableFrom(type)) {
            return "an object";
        }
        return "an object";
    }

    /** An optional string property of {@code parent}: null when absent or null, a violation when not a string. */
    public static String string(JsonNode parent, String property, String field, List<Violation> errors) {
        JsonNode v = parent == null ? null : parent.get(property);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isString()) {
            errors.add(new Violation(field, mismatch("a string", of(v))));
            return null;
        }
        return v.asString();
    }

    /**
     * An optional integer property of {@code parent}: null when absent or null, a violation when it is
     * not a JSON integer (strings, fractions and exponents included) or does not fit an {@code int}.
     */
    public static Integer integer(JsonNode parent, String property, String field, List<Violation> errors) {
        JsonNode v = parent == null ? null : parent.get(property);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber()) {
            errors.add(new Violation(field, mismatch("an integer", of(v))));
            return null;
        }
        if (!v.canConvertToInt()) {
            errors.add(new Violation(field, "must be an integer between " + Integer.MIN_VALUE + " and "
                    + Integer.MAX_VALUE));
            return null;
        }
        return v.asInt();
    }

    /**
     * Why Jackson could not parse a text as JSON, with the line and column, without its source excerpt or
     * the names of its features: {@code Unexpected end-of-input (line 1, column 9)}.
     */
    public static String syntax(JacksonException e) {
        String original = e.getOriginalMessage() == null ? "malformed JSON" : e.getOriginalMessage();
        String line = original.lines().findFirst().orElse("malformed JSON");
        for (String cut : List.of(" [Source", " (start marker", ": enable `", "; enable `", " (for ")) {
            int at = line.indexOf(cut);
            if (at > 0) {
                line = line.substring(0, at);
            }
        }
        line = line.replaceAll(", from `[^`]*`", "").replaceAll("`[^`]*`", "value");
        if (line.length() > 160) {
            line = line.substring(0, 160) + "...";
        }
        TokenStreamLocation location = e.getLocation();
        return location == null || location.getLineNr() < 1 ? line
                : line + " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String fractional(double value) {
        return value == Math.rint(value) && !Double.isInfinite(value)
                ? "a number with a decimal point or exponent" : "a fractional number";
    }
}
