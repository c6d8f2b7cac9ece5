package io.beacon.discovery;

import io.beacon.web.Durations;
import io.beacon.web.InputRules;
import io.beacon.web.InvalidRequestException;
import io.beacon.web.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.util.MultiValueMap;

/**
 * The blocking part of a discovery request: {@code index} (the index the client last saw) and
 * {@code wait} (Beacon's duration syntax, {@link Durations}: {@code 500ms}, {@code 30s}, {@code 2m},
 * {@code 1h}; a bare number has no unit and is rejected). {@code wait} without {@code index} is accepted
 * and changes nothing.
 *
 * @param index the client's index, or null when the request does not block
 * @param waitFor how long to hold the request, before capping and jitter
 */
public record BlockingParams(Long index, Duration waitFor) {

    /** Extra parameter names {@code /discover} accepts for blocking queries. */
    public static final Set<String> NAMES = Set.of("index", "wait");

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
                errors.add(new Violation("index", InputRules.quote(rawIndex)
                        + " is not a number; use the X-Beacon-Index of your last response"));
            }
        }
        Duration wait = defaultWait;
        if (rawWait != null) {
            try {
                wait = Durations.parse(rawWait);
                if (wait.isZero()) {
                    errors.add(new Violation("wait", "must be more than zero"));
                }
            } catch (IllegalArgumentException e) {
                errors.add(new Violation("wait", e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return new BlockingParams(index, wait);
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
}
