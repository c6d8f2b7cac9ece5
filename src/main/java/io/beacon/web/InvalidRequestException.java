package io.beacon.web;

import java.util.List;

/** A request that breaks the API's rules; answered 400 with every violation listed. */
public class InvalidRequestException extends RuntimeException {

    private final List<Violation> violations;

    public InvalidRequestException(List<Violation> violations) {
        super(summary(violations));
        this.violations = List.copyOf(violations);
    }

    public InvalidRequestException(String field, String message) {
        this(List.of(new Violation(field, message)));
    }

    public List<Violation> violations() {
        return violations;
    }

    private static String summary(List<Violation> violations) {
        if (violations.size() == 1) {
            Violation v = violations.get(0);
            return "Invalid '" + v.field() + "': " + v.message();
        }
        return violations.size() + " fields are invalid; see 'errors'.";
    }
}
