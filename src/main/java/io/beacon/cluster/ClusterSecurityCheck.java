package io.beacon.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides at start-up whether the cluster may run as configured: with a secret it is authenticated and
 * encrypted; without one it is refused in {@code beacon.security.mode=enforced} (a production set-up must
 * not let any JVM that reaches the JGroups port join and read or change the registry), and allowed with
 * one WARN line otherwise (a local multi-member run).
 */
final class ClusterSecurityCheck {

    private static final Logger log = LoggerFactory.getLogger(ClusterSecurityCheck.class);

    private ClusterSecurityCheck() {
    }

    /**
     * @param securityMode the value of {@code beacon.security.mode} ({@code open} when not set)
     * @throws IllegalStateException when the cluster would run unauthenticated in enforced mode
     */
    static void check(ClusterProperties properties, String securityMode) {
        if (properties.security().enabled()) {
            log.info("Cluster '{}' members authenticate with the shared secret (JGroups AUTH) and encrypt "
                    + "replication (AES-256)", properties.clusterName());
            return;
        }
        if ("enforced".equalsIgnoreCase(securityMode.trim())) {
            throw new IllegalStateException("Cluster mode in beacon.security.mode=enforced needs a shared cluster secret: "
                    + "set beacon.cluster.security.secret (or BEACON_CLUSTER_SECURITY_SECRET) to the same random value "
                    + "of at least 16 characters on every member, for example from `openssl rand -base64 32`");
        }
        log.warn("Cluster '{}' runs without a shared secret: any JVM that reaches port {} can join, read and change "
                + "the registry, and replication is not encrypted. Set beacon.cluster.security.secret on every member.",
                properties.clusterName(), properties.port());
    }
}
