package io.beacon.web;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Beacon's one duration syntax for text input ({@code check.interval}, {@code check.timeout}, the
 * {@code wait} query parameter): a whole number and one unit, {@code ms}, {@code s}, {@code m} or
 * {@code h}, as in {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}. A bare number is rejected, since
 * nothing says whether it means seconds or milliseconds. Fields whose name carries the unit
 * ({@code leaseSeconds}, {@code latencyMs}) are JSON integers instead.
 *
 * <p>Durations are shown in the same short form ({@link #format}), never as ISO-8601 {@code PT10S}.
 */
public final class Durations {

    /** The hint every duration problem ends with. */
    public static final String EXAMPLES = "use for example 500ms, 10s or 2m";

    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h)");
    private static final Pattern BARE = Pattern.compile("[+-]?\\d+(\\.\\d+)?");

    private Durations() {
    }

    /**
     * Parses {@code text}; throws {@link IllegalArgumentException} whose message says what is wrong, for
     * example {@code '30' has no unit; use for example 500ms, 10s or 2m}.
     */
    public static Duration parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            if (BARE.matcher(text.trim()).matches()) {
                throw new IllegalArgumentException(InputRules.quote(text) + " has no unit; " + EXAMPLES);
            }
            throw new IllegalArgumentException(InputRules.quote(text) + " is not a duration; " + EXAMPLES);
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    /**
     * An optional duration within {@code min..max}: {@code fallback} when {@code text} is null, and
     * {@code fallback} with a violation naming {@code field} when it is malformed or out of range.
     */
    public static Duration parse(String field, String text, Duration fallback, Duration min, Duration max,
            List<Violation> errors) {
        if (text == null) {
            return fallback;
        }
        Duration d;
        try {
            d = parse(text);
        } catch (IllegalArgumentException e) {
            errors.add(new Violation(field, e.getMessage()));
            return fallback;
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            errors.add(new Violation(field, "must be between " + format(min) + " and " + format(max)));
            return fallback;
        }
        return d;
    }

    /** The short form of {@code d} in its largest exact unit: {@code 10s}, {@code 1500ms}, {@code 2m}, {@code 1h}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
