package io.beacon.web;

/**
 * The separate request budgets a client has per minute ({@code beacon.limits.<budget>-per-minute}), and
 * which one a request spends, by method and path, native and Eureka alike:
 * <ul>
 * <li>{@link #REGISTRATIONS}: {@code POST /register}, {@code POST /eureka/apps/{app}} (new registrations and
 * re-registrations);
 * <li>{@link #HEARTBEATS}: {@code PUT /heartbeat/{name}/{id}}, {@code PUT /eureka/apps/{app}/{id}};
 * <li>{@link #READS}: every other {@code GET}, {@code HEAD} or {@code OPTIONS};
 * <li>{@link #WRITES}: every other request (deregistrations, reports, policies, drains, Eureka status and
 * metadata).
 * </ul>
 * {@code /actuator/**} (probes, the Prometheus scrape) spends none.
 */
public enum RateBudget {

    REGISTRATIONS("registrations"),
    WRITES("writes"),
    READS("reads"),
    HEARTBEATS("heartbeats");

    private static final String EUREKA_APPS = "/eureka/apps/";

    private final String label;

    RateBudget(String label) {
        this.label = label;
    }

    /** The budget's name in answers: {@code registrations}, {@code writes}, {@code reads}, {@code heartbeats}. */
    public String label() {
        return label;
    }

    /** The limit's name in metrics, as its property spells it: {@code registrations-per-minute}, ... */
    public String limit() {
        return label + "-per-minute";
    }

    /** The budget a request spends; null for none. Allocates nothing. */
    static RateBudget of(String method, String path) {
        if (path.startsWith("/actuator/") || path.equals("/actuator")) {
            return null;
        }
        switch (method) {
            case "GET", "HEAD", "OPTIONS" -> {
                return READS;
            }
            case "POST" -> {
                if (path.equals("/register") || eurekaSegments(path) == 1) {
                    return REGISTRATIONS;
                }
                return WRITES;
            }
            case "PUT" -> {
                if (path.startsWith("/heartbeat/") || eurekaSegments(path) == 2) {
                    return HEARTBEATS;
                }
                return WRITES;
            }
            default -> {
                return WRITES;
            }
        }
    }

    /** Non-empty path segments after {@code /eureka/apps/}; -1 when the path is not below it. */
    private static int eurekaSegments(String path) {
        if (!path.startsWith(EUREKA_APPS)) {
            return -1;
        }
        int segments = 0;
        boolean inSegment = false;
        for (int i = EUREKA_APPS.length(); i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                inSegment = false;
            } else if (!inSegment) {
                inSegment = true;
                segments++;
            }
        }
        return segments;
    }
}
