package io.beacon;

import java.util.List;

/** Start-up stops: configuration names {@code beacon.*} properties that do not exist. */
class UnknownPropertiesException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /** @param problems one sentence per unknown property, naming it, where it came from and the nearest known one */
    UnknownPropertiesException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    List<String> problems() {
        return problems;
    }
}
