package io.beacon.discovery;

import io.beacon.web.InputRules;
import io.beacon.web.InvalidRequestException;
import io.beacon.web.Violation;

import io.beacon.registry.Instance;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.ServiceName;
import io.beacon.registry.ServiceSnapshot;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.util.MultiValueMap;

/**
 * The query of a discovery request: the service, attribute filters ({@code tag}, {@code zone},
 * {@code version}, {@code meta.KEY}) and the statuses to include. Unknown parameters are rejected, so a
 * typo never silently widens a query.
 *
 * @param name the service
 * @param tags tags every returned instance carries
 * @param zone required zone, or null
 * @param version required version, or null
 * @param meta metadata entries every returned instance carries
 * @param statuses statuses to include; empty means discoverable instances only (UP, not ejected)
 * @param params every parameter of the request, for callers that read more (index, wait, strategy ...)
 */
public record DiscoveryQuery(ServiceName name, List<String> tags, String zone, String version,
        Map<String, String> meta, Set<InstanceStatus> statuses, MultiValueMap<String, String> params) {

    /** Parameters every discovery endpoint accepts. */
    public static final Set<String> FILTERS = Set.of("name", "tag", "zone", "version", "status");

    /**
     * Parses the request parameters.
     *
     * @param params the request's parameters
     * @param extra parameter names the endpoint accepts besides {@link #FILTERS} and {@code meta.*}
     */
    public static DiscoveryQuery parse(MultiValueMap<String, String> params, Set<String> extra) {
        List<Violation> errors = new ArrayList<>();
        for (String key : params.keySet()) {
            if (!FILTERS.contains(key) && !extra.contains(key) && !(key.startsWith("meta.") && key.length() > 5)) {
                errors.add(new Violation(key, "is not a known parameter; allowed: name, tag, zone, version, "
                        + "status, meta.KEY" + (extra.isEmpty() ? "" : ", " + String.join(", ", extra.stream().sorted().toList()))));
            }
        }
        ServiceName name = InputRules.name("name", single(params, "name", errors), errors);
        List<String> tags = params.getOrDefault("tag", List.of());
        for (String tag : tags) {
            if (tag.isEmpty()) {
                errors.add(new Violation("tag", "must not be empty"));
                break;
            }
            InputRules.tag("tag", tag, errors);
        }
        String zone = label(single(params, "zone", errors), "zone", errors);
        String version = label(single(params, "version", errors), "version", errors);
        Map<String, String> meta = new LinkedHashMap<>();
        params.forEach((key, values) -> {
            if (key.startsWith("meta.") && key.length() > 5) {
                if (values.size() != 1) {
                    errors.add(new Violation(key, "may be given once"));
                } else if (!InputRules.metadataKey(key.substring(5), Integer.MAX_VALUE)) {
                    errors.add(new Violation(key, "names a metadata key with control characters"));
                } else {
                    meta.put(key.substring(5), values.get(0));
                }
            }
        });
        Set<InstanceStatus> statuses = EnumSet.noneOf(InstanceStatus.class);
        for (String value : params.getOrDefault("status", List.of())) {
            for (String part : value.split(",")) {
                String s = part.trim().toUpperCase(Locale.ROOT);
                if (s.equals("ANY") || s.equals("ALL")) {
                    statuses.addAll(EnumSet.allOf(InstanceStatus.class));
                    continue;
                }
                try {
                    statuses.add(InstanceStatus.valueOf(s));
                } catch (IllegalArgumentException e) {
                    errors.add(new Violation("status", "'" + part + "' is not one of UP, DOWN, STARTING, STALE, "
                            + "OUT_OF_SERVICE, ANY"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return new DiscoveryQuery(name, List.copyOf(tags), zone, version, Map.copyOf(meta), statuses, params);
    }

    /** The one value of a parameter, or null; a repeated parameter is a violation. */
    public static String single(MultiValueMap<String, String> params, String key, List<Violation> errors) {
        List<String> values = params.get(key);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            errors.add(new Violation(key, "may be given once"));
        }
        return values.get(0);
    }

    /**
     * A zone or version filter: an empty or malformed one would silently match nothing (registrations
     * follow the same label rule), so it is a violation.
     */
    private static String label(String value, String key, List<Violation> errors) {
        if (value != null && value.isEmpty()) {
            errors.add(new Violation(key, "must not be empty"));
            return value;
        }
        return InputRules.label(key, value, errors);
    }

    /** The one value of a parameter, or null. */
    public String param(String key) {
        List<String> values = params.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** True when the query has no filter: every discoverable instance of the service. */
    public boolean isPlain() {
        return tags.isEmpty() && zone == null && version == null && meta.isEmpty() && statuses.isEmpty();
    }

    /** True when the instance carries every requested attribute (status aside). */
    public boolean matches(Instance i) {
        if (zone != null && !zone.equals(i.zone())) {
            return false;
        }
        if (version != null && !version.equals(i.version())) {
            return false;
        }
        if (!tags.isEmpty() && !i.tags().containsAll(tags)) {
            return false;
        }
        for (Map.Entry<String, String> e : meta.entrySet()) {
            if (!e.getValue().equals(i.metadata().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** The instances of {@code snapshot} this query returns. */
    public List<Instance> select(ServiceSnapshot snapshot) {
        return select(snapshot, false);
    }

    /**
     * The instances of {@code snapshot} this query returns; in {@code panic} mode (see {@link PanicMode})
     * the default status filter also lets outlier-ejected UP instances through.
     */
    public List<Instance> select(ServiceSnapshot snapshot, boolean panic) {
        List<Instance> result = new ArrayList<>(snapshot.instances().size());
        for (Instance i : snapshot.instances()) {
            boolean statusOk = statuses.isEmpty()
                    ? i.state().isDiscoverable() || panic && i.status() == InstanceStatus.UP
                    : statuses.contains(i.status());
            if (statusOk && matches(i)) {
                result.add(i);
            }
        }
        return result;
    }
}
