package io.beacon.eureka;

import java.util.Map;

/**
 * One instance as Eureka's {@code InstanceInfo} describes it on the wire: every field a Netflix client
 * reads, already mapped from Beacon's model by {@link EurekaMapper}. Timestamps are epoch milliseconds.
 */
record EurekaInstance(String instanceId, String hostName, String app, String ipAddr, String status,
        String overriddenStatus, int port, boolean portEnabled, int securePort, boolean securePortEnabled,
        int countryId, String dataCenterClass, String dataCenterName, Map<String, String> dataCenterMetadata,
        Lease lease, Map<String, String> metadata, String homePageUrl, String statusPageUrl,
        String healthCheckUrl, String secureHealthCheckUrl, String vipAddress, String secureVipAddress,
        long lastUpdatedTimestamp, long lastDirtyTimestamp, String asgName, String appGroupName) {

    /** Eureka's {@code leaseInfo}. */
    record Lease(int renewalIntervalInSecs, int durationInSecs, long registrationTimestamp,
            long lastRenewalTimestamp, long evictionTimestamp, long serviceUpTimestamp) {
    }

    /** Eureka's per-instance change kinds in delta answers. */
    enum ActionType { ADDED, MODIFIED, DELETED }

    /** An instance together with the change that put it into a delta (null in full answers). */
    record Entry(EurekaInstance instance, ActionType actionType) {
    }

    /** Eureka's {@code Application}: the upper-case name and its instances. */
    record App(String name, java.util.List<Entry> instances) {
    }

    /** True when {@code vip} is one of the comma-separated addresses in {@code addresses}. */
    static boolean matchesVip(String addresses, String vip) {
        if (addresses == null) {
            return false;
        }
        for (String a : addresses.split(",")) {
            if (a.trim().equalsIgnoreCase(vip)) {
                return true;
            }
        }
        return false;
    }
}
