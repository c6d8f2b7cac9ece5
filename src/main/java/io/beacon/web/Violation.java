package io.beacon.web;

/** One reason a request was rejected: the field (JSON path or parameter) and what is wrong with it. */
public record Violation(String field, String message) {
}
