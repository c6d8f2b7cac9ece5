package io.beacon.eureka;

import io.beacon.registry.CheckSpec;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceState;
import io.beacon.registry.InstanceStatus;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Shows a Beacon {@link Instance} as a Eureka {@code InstanceInfo}. Fields a Eureka client registered are
 * kept in {@link Instance#attributes()} under the {@value #PREFIX} prefix and given back unchanged;
 * natively registered instances get synthesised values (app = upper-case name, hostName = address,
 * vipAddress = name, {@code MyOwn} data center).
 *
 * <p>Status: UP, DOWN, STARTING and OUT_OF_SERVICE map to themselves. STALE (lease missed) and UP but
 * ejected by outlier detection become DOWN, so that Eureka clients, which keep only UP instances, stop
 * calling them exactly when Beacon's own discovery does.
 */
final class EurekaMapper {

    static final String PREFIX = "eureka.";
    static final String HOST_NAME = PREFIX + "hostName";
    static final String PORT_ENABLED = PREFIX + "port.enabled";
    static final String SECURE_PORT = PREFIX + "securePort";
    static final String SECURE_PORT_ENABLED = PREFIX + "securePort.enabled";
    static final String COUNTRY_ID = PREFIX + "countryId";
    static final String DATA_CENTER_CLASS = PREFIX + "dataCenterInfo.class";
    static final String DATA_CENTER_NAME = PREFIX + "dataCenterInfo.name";
    static final String DATA_CENTER_METADATA = PREFIX + "dataCenterInfo.metadata.";
    static final String RENEWAL_INTERVAL = PREFIX + "leaseInfo.renewalIntervalInSecs";
    static final String SERVICE_UP = PREFIX + "leaseInfo.serviceUpTimestamp";
    static final String HOME_PAGE_URL = PREFIX + "homePageUrl";
    static final String STATUS_PAGE_URL = PREFIX + "statusPageUrl";
    static final String HEALTH_CHECK_URL = PREFIX + "healthCheckUrl";
    static final String SECURE_HEALTH_CHECK_URL = PREFIX + "secureHealthCheckUrl";
    static final String VIP_ADDRESS = PREFIX + "vipAddress";
    static final String SECURE_VIP_ADDRESS = PREFIX + "secureVipAddress";
    static final String LAST_DIRTY = PREFIX + "lastDirtyTimestamp";
    static final String ASG_NAME = PREFIX + "asgName";
    static final String APP_GROUP_NAME = PREFIX + "appGroupName";

    static final String DEFAULT_DATA_CENTER_CLASS = "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo";

    private EurekaMapper() {
    }

    /** Eureka's application name for a service: its name in upper case. */
    static String appName(Instance instance) {
        return instance.service().value().toUpperCase(Locale.ROOT);
    }

    /** The status a Eureka client sees; see the type's comment. */
    static String status(InstanceState state) {
        return switch (state.status()) {
            case UP -> state.ejected() ? "DOWN" : "UP";
            case STALE, DOWN -> "DOWN";
            case STARTING -> "STARTING";
            case OUT_OF_SERVICE -> "OUT_OF_SERVICE";
        };
    }

    static EurekaInstance toEureka(Instance i) {
        Map<String, String> a = i.attributes();
        String host = a.getOrDefault(HOST_NAME, i.address());
        String name = i.service().value();
        long registered = i.lease().registeredAt().toEpochMilli();
        int duration = (int) Math.min(Integer.MAX_VALUE, i.lease().duration().toSeconds());
        EurekaInstance.Lease lease = new EurekaInstance.Lease(
                intAttr(a, RENEWAL_INTERVAL, Math.max(1, duration / 3)), duration, registered,
                i.lease().lastRenewedAt().toEpochMilli(), 0L, longAttr(a, SERVICE_UP, registered));
        Map<String, String> dataCenterMetadata = new LinkedHashMap<>();
        a.forEach((k, v) -> {
            if (k.startsWith(DATA_CENTER_METADATA)) {
                dataCenterMetadata.put(k.substring(DATA_CENTER_METADATA.length()), v);
            }
        });
        String healthCheck = a.get(HEALTH_CHECK_URL);
        if (healthCheck == null && i.check() != null && i.check().type() == CheckSpec.Type.HTTP) {
            healthCheck = i.check().target();
        }
        InstanceStatus override = i.state().override();
        long updated = Math.max(i.updatedAt().toEpochMilli(), i.state().since().toEpochMilli());
        return new EurekaInstance(i.id(), host, appName(i), i.address(), status(i.state()),
                override == null ? "UNKNOWN" : status(override), i.port(),
                Boolean.parseBoolean(a.getOrDefault(PORT_ENABLED, "true")), intAttr(a, SECURE_PORT, 443),
                Boolean.parseBoolean(a.getOrDefault(SECURE_PORT_ENABLED, "false")), intAttr(a, COUNTRY_ID, 1),
                a.getOrDefault(DATA_CENTER_CLASS, DEFAULT_DATA_CENTER_CLASS), a.getOrDefault(DATA_CENTER_NAME, "MyOwn"),
                dataCenterMetadata, lease, metadata(i),
                a.getOrDefault(HOME_PAGE_URL, "http://" + hostPort(host, i.port()) + "/"),
                a.get(STATUS_PAGE_URL), healthCheck, a.get(SECURE_HEALTH_CHECK_URL),
                a.getOrDefault(VIP_ADDRESS, name), a.getOrDefault(SECURE_VIP_ADDRESS, name), updated,
                longAttr(a, LAST_DIRTY, i.updatedAt().toEpochMilli()), a.get(ASG_NAME), a.get(APP_GROUP_NAME));
    }

    /**
     * The metadata Eureka clients see: Beacon's metadata plus its zone and version under the {@code zone} and
     * {@code version} keys (unless the metadata has them), the reverse of how a Eureka registration fills them.
     * Spring Cloud reads an instance's zone from {@code metadata.zone} (zone preference in its load balancer).
     */
    static Map<String, String> metadata(Instance i) {
        if ((i.zone() == null || i.metadata().containsKey("zone"))
                && (i.version() == null || i.metadata().containsKey("version"))) {
            return i.metadata();
        }
        Map<String, String> metadata = new LinkedHashMap<>(i.metadata());
        if (i.zone() != null) {
            metadata.putIfAbsent("zone", i.zone());
        }
        if (i.version() != null) {
            metadata.putIfAbsent("version", i.version());
        }
        return Map.copyOf(metadata);
    }

    private static String status(InstanceStatus status) {
        return status == InstanceStatus.STALE ? "DOWN" : status.name();
    }

    static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    private static int intAttr(Map<String, String> a, String key, int fallback) {
        try {
            return a.containsKey(key) ? Integer.parseInt(a.get(key)) : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static long longAttr(Map<String, String> a, String key, long fallback) {
        try {
            return a.containsKey(key) ? Long.parseLong(a.get(key)) : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
