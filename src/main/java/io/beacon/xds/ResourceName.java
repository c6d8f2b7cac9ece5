package io.beacon.xds;

import io.beacon.registry.ServiceName;
import java.util.Optional;

/**
 * A resource name as a client asked for it, and what it names: a service (case-insensitive, as Beacon stores
 * it) and, for a version subset cluster, the version after the first {@code /} ({@code orders/v2}).
 *
 * @param requested the name exactly as requested; answers carry it unchanged
 * @param service the service it names
 * @param version the version subset, or null for the whole service
 */
record ResourceName(String requested, ServiceName service, String version) {

    static final char SUBSET = '/';

    /** The name parsed, or empty when it names no valid service (such a resource does not exist). */
    static Optional<ResourceName> parse(String requested) {
        int slash = requested.indexOf(SUBSET);
        String service = slash < 0 ? requested : requested.substring(0, slash);
        String version = slash < 0 ? null : requested.substring(slash + 1);
        if (!ServiceName.isValid(service) || (version != null && version.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new ResourceName(requested, ServiceName.of(service), version));
    }

    /** The canonical name of a service's cluster, or of one of its version subsets. */
    static String cluster(ServiceName service, String version) {
        return version == null ? service.value() : service.value() + SUBSET + version;
    }
}
