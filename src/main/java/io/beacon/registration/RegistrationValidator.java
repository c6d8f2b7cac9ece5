package io.beacon.registration;

import io.beacon.web.InvalidRequestException;
import io.beacon.web.Violation;

import io.beacon.registry.CheckSpec;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceState;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Lease;
import io.beacon.registry.ServiceName;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;

/**
 * Checks a {@link RegistrationRequest} against every rule at once and turns it into an {@link Instance}.
 * All violations are reported together, so a client fixes its request in one go.
 */
@Component
public class RegistrationValidator {

    /** Characters allowed in instance ids: those a URL path segment carries unescaped. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9._~:@!$&'()*+,;=-]{1,256}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");
    private static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(10);
    private static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(2);

    private final LeaseProperties lease;
    private final InstanceLimits limits;

    public RegistrationValidator(LeaseProperties lease, InstanceLimits limits) {
        this.lease = lease;
        this.limits = limits;
    }

    /** The instance described by {@code request}, registered at {@code now}; throws on any violation. */
    public Instance toInstance(RegistrationRequest request, Instant now) {
        if (request == null) {
            throw new InvalidRequestException("body", "a JSON object with name, address and port is required");
        }
        List<Violation> errors = new ArrayList<>();
        if (request.name() == null || request.name().isBlank()) {
            errors.add(new Violation("name", "is required"));
        } else if (!ServiceName.isValid(request.name())) {
            errors.add(new Violation("name", "must be 1 to 253 characters of letters, digits, '.', '_' or '-'"));
        }
        if (request.address() == null || request.address().isBlank()) {
            errors.add(new Violation("address", "is required"));
        } else if (!HostAddress.isValid(request.address())) {
            errors.add(new Violation("address", "must be an IPv4 or IPv6 literal or a host name"));
        }
        if (request.port() == null) {
            errors.add(new Violation("port", "is required"));
        } else if (request.port() < 1 || request.port() > 65535) {
            errors.add(new Violation("port", "must be between 1 and 65535"));
        }
        if (request.id() != null && !ID.matcher(request.id()).matches()) {
            errors.add(new Violation("id", "must be 1 to 256 characters of letters, digits and ._~:@!$&'()*+,;=-"));
        }
        checkMetadata(request.metadata(), errors);
        checkTags(request.tags(), errors);
        checkLabel("zone", request.zone(), errors);
        checkLabel("version", request.version(), errors);
        if (request.weight() != null && (request.weight() < 1 || request.weight() > 1000)) {
            errors.add(new Violation("weight", "must be between 1 and 1000"));
        }
        Duration leaseDuration = leaseDuration(request.leaseSeconds(), errors);
        CheckSpec check = check(request.check(), errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        String id = request.id() != null ? request.id() : request.address() + ":" + request.port();
        Lease instanceLease = Lease.start(now, leaseDuration, lease.evictAfterFor(leaseDuration));
        return new Instance(ServiceName.of(request.name()), id, request.address(), request.port(),
                request.metadata(), request.tags(), request.zone(), request.version(),
                request.weight() == null ? 100 : request.weight(), instanceLease,
                InstanceState.initial(InstanceStatus.UP, now), 0, check, Map.of(), now);
    }

    private void checkMetadata(Map<String, String> metadata, List<Violation> errors) {
        if (metadata == null) {
            return;
        }
        if (metadata.size() > limits.maxMetadataEntries()) {
            errors.add(new Violation("metadata", "has " + metadata.size() + " entries; at most "
                    + limits.maxMetadataEntries() + " are allowed"));
            return;
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String key = e.getKey();
            if (key.isEmpty() || key.length() > limits.maxMetadataKeyLength() || hasControl(key)) {
                errors.add(new Violation("metadata", "keys must be 1 to " + limits.maxMetadataKeyLength()
                        + " characters without control characters"));
                return;
            }
            if (e.getValue() == null) {
                errors.add(new Violation("metadata." + key, "must be a string, not null"));
            } else if (e.getValue().length() > limits.maxMetadataValueLength()) {
                errors.add(new Violation("metadata." + key, "is longer than "
                        + limits.maxMetadataValueLength() + " characters"));
            }
        }
    }

    private void checkTags(List<String> tags, List<Violation> errors) {
        if (tags == null) {
            return;
        }
        if (tags.size() > limits.maxTags()) {
            errors.add(new Violation("tags", "has " + tags.size() + " entries; at most "
                    + limits.maxTags() + " are allowed"));
            return;
        }
        for (String tag : tags) {
            if (tag == null || tag.isEmpty() || tag.length() > 128 || hasControl(tag)) {
                errors.add(new Violation("tags", "each tag must be 1 to 128 characters without control characters"));
                return;
            }
        }
    }

    private static void checkLabel(String field, String value, List<Violation> errors) {
        if (value != null && !LABEL.matcher(value).matches()) {
            errors.add(new Violation(field, "must be 1 to 128 characters of letters, digits and ._:/-"));
        }
    }

    private Duration leaseDuration(Integer leaseSeconds, List<Violation> errors) {
        if (leaseSeconds == null) {
            return lease.duration();
        }
        Duration requested = Duration.ofSeconds(leaseSeconds);
        if (requested.compareTo(lease.minDuration()) < 0 || requested.compareTo(lease.maxDuration()) > 0) {
            errors.add(new Violation("leaseSeconds", "must be between " + lease.minDuration().toSeconds()
                    + " and " + lease.maxDuration().toSeconds()));
        }
        return requested;
    }

    private static CheckSpec check(RegistrationRequest.CheckRequest check, List<Violation> errors) {
        if (check == null) {
            return null;
        }
        if ((check.http() == null) == (check.tcp() == null)) {
            errors.add(new Violation("check", "needs exactly one of 'http' or 'tcp'"));
            return null;
        }
        int before = errors.size();
        if (check.http() != null && !isHttpUrl(check.http())) {
            errors.add(new Violation("check.http", "must be an absolute http:// or https:// URL"));
        }
        if (check.tcp() != null && !isHostPort(check.tcp())) {
            errors.add(new Violation("check.tcp", "must be host:port"));
        }
        Duration interval = duration("check.interval", check.interval(), DEFAULT_CHECK_INTERVAL, errors);
        Duration timeout = duration("check.timeout", check.timeout(), DEFAULT_CHECK_TIMEOUT, errors);
        int failures = count("check.failuresBeforeDown", check.failuresBeforeDown(), 3, errors);
        int successes = count("check.successesBeforeUp", check.successesBeforeUp(), 1, errors);
        if (errors.size() > before) {
            return null;
        }
        return check.http() != null
                ? new CheckSpec(CheckSpec.Type.HTTP, check.http(), interval, timeout, failures, successes)
                : new CheckSpec(CheckSpec.Type.TCP, check.tcp(), interval, timeout, failures, successes);
    }

    private static Duration duration(String field, String text, Duration fallback, List<Violation> errors) {
        if (text == null) {
            return fallback;
        }
        try {
            Duration d = DurationStyle.detectAndParse(text);
            if (d.compareTo(Duration.ofMillis(100)) < 0 || d.compareTo(Duration.ofHours(1)) > 0) {
                errors.add(new Violation(field, "must be between 100ms and 1h"));
            }
            return d;
        } catch (IllegalArgumentException e) {
            errors.add(new Violation(field, "must be a duration such as 10s or 500ms"));
            return fallback;
        }
    }

    private static int count(String field, Integer value, int fallback, List<Violation> errors) {
        if (value == null) {
            return fallback;
        }
        if (value < 1 || value > 100) {
            errors.add(new Violation(field, "must be between 1 and 100"));
        }
        return value;
    }

    private static boolean isHttpUrl(String text) {
        try {
            URI uri = URI.create(text);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isHostPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            return false;
        }
        String host = text.substring(0, colon);
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            return port >= 1 && port <= 65535 && HostAddress.isValid(host);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
