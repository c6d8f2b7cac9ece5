package io.beacon.discovery;

import io.beacon.discovery.DiscoveryQuery;
import io.beacon.web.InvalidRequestException;
import io.beacon.web.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.util.MultiValueMap;

/**
 * The blocking part of a discovery request: {@code index} (the index the client last saw) and
 * {@code wait} (Consul style: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}; a bare number means
 * seconds). {@code wait} without {@code index} is accepted and changes nothing.
 *
 * @param index the client's index, or null when the request does not block
 * @param waitFor how long to hold the request, before capping and jitter
 */
public record BlockingParams(Long index, Duration waitFor) {

    /** Extra parameter names {@code /discover} accepts for blocking queries. */
    public static final Set<String> NAMES = Set.of("index", "wait");

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

    /** Parses {@code index} and {@code wait}; every problem becomes a 400 naming the parameter. */
    public static BlockingParams parse(MultiValueMap<String, String> params, Duration defaultWait) {
        List<Violation> errors = new ArrayList<>();
        String rawIndex = DiscoveryQuery.single(params, "index", errors);
        String rawWait = DiscoveryQuery.single(params, "wait", errors);
        Long index = null;
        if (rawIndex != null) {
            try {
                index = Long.parseLong(rawIndex.trim());
                if (index < 0) {
                    errors.add(new Violation("index", "must be zero or more"));
                }
            } catch (NumberFormatException e) {
                errors.add(new Violation("index", "'" + abbreviate(rawIndex)
                        + "' is not a number; use the X-Beacon-Index of your last response"));
            }
        }
        Duration wait = defaultWait;
        if (rawWait != null) {
            wait = parseWait(rawWait.trim());
            if (wait == null) {
                errors.add(new Violation("wait", "'" + abbreviate(rawWait)
                        + "' is not a duration; use for example 500ms, 30s or 2m"));
            } else if (wait.isZero()) {
                errors.add(new Violation("wait", "must be more than zero"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return new BlockingParams(index, wait);
    }

    /** A wait like {@code 30s}; null when malformed. */
    static Duration parseWait(String raw) {
        Matcher m = DURATION.matcher(raw);
        if (!m.matches()) {
            return null;
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    /** True when the request blocks (it carries an index). */
    public boolean blocking() {
        return index != null;
    }

    /** The wait capped at {@code max}, plus a random jitter of up to a sixteenth of it. */
    public Duration effectiveWait(Duration max, double random) {
        Duration capped = waitFor.compareTo(max) > 0 ? max : waitFor;
        long jitter = (long) (capped.toMillis() / 16.0 * random);
        return capped.plusMillis(jitter);
    }

    private static String abbreviate(String raw) {
        return raw.length() > 32 ? raw.substring(0, 32) + "..." : raw;
    }
}
