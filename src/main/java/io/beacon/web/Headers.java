package io.beacon.web;

/** Response headers the API shares across endpoints. */
public final class Headers {

    /** The service's index, on every response that reads or changes a service. */
    public static final String INDEX = "X-Beacon-Index";

    /** {@code true} when discovery answered in panic mode (ejected instances included). */
    public static final String PANIC = "X-Beacon-Panic";

    private Headers() {
    }
}
