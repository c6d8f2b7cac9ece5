package io.beacon.cluster;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Cluster mode settings under {@code beacon.cluster.*}. Off by default: nothing of Infinispan or JGroups
 * is loaded unless {@code enabled} is true.
 *
 * @param enabled share the registry with other Beacon members through a replicated Infinispan cache
 * @param clusterName JGroups cluster name; members with different names never join each other
 * @param nodeName this member's name in the cluster (defaults to {@code <bind-address>:<port>})
 * @param bindAddress the only address JGroups listens on (TCP transport and failure detection)
 * @param port JGroups TCP port; failure detection listens on {@code port + fdPortOffset}
 * @param fdPortOffset offset of the FD_SOCK2 failure-detection port from {@code port}
 * @param discovery how members find each other: {@code static} (TCPPING) or {@code dns} (DNS_PING)
 * @param members static member list, {@code host[port]} entries (TCPPING initial hosts)
 * @param dnsQuery DNS name listing every member (the headless Service) when {@code discovery=dns}
 * @param joinTimeout how long a starting member looks for a coordinator before starting a cluster alone
 * @param replicationTimeout how long a write waits for every member's acknowledgement
 * @param stateTimeout how long a joining member waits for the full state before failing to start
 * @param tombstoneLifespan how long a removal marker stays in the cache (lets every member tell a
 *     deregistration from an eviction); removed by Infinispan's expiration reaper afterwards
 * @param heartbeatBatch the most heartbeats replicated together in one command
 * @param mergeInterval the longest time between two checks for another cluster view with this cluster's name
 *     (JGroups MERGE3 {@code max_interval}; the shortest is a third of it): how soon the two sides of a healed
 *     split are merged into one cluster again
 * @param security how members authenticate each other and encrypt replication ({@code beacon.cluster.security.*})
 */
@ConfigurationProperties("beacon.cluster")
@Validated
public record ClusterProperties(
        @DefaultValue("false") boolean enabled,
        @NotBlank @DefaultValue("beacon") String clusterName,
        String nodeName,
        @NotBlank @DefaultValue("127.0.0.1") String bindAddress,
        @Min(1) @Max(65535) @DefaultValue("7800") int port,
        @Min(1) @DefaultValue("50000") int fdPortOffset,
        @NotNull @DefaultValue("static") Discovery discovery,
        @NotNull @DefaultValue("127.0.0.1[7800]") List<String> members,
        String dnsQuery,
        @NotNull @DefaultValue("2s") Duration joinTimeout,
        @NotNull @DefaultValue("10s") Duration replicationTimeout,
        @NotNull @DefaultValue("4m") Duration stateTimeout,
        @NotNull @DefaultValue("60s") Duration tombstoneLifespan,
        @Min(1) @Max(10000) @DefaultValue("256") int heartbeatBatch,
        @NotNull @DefaultValue("30s") Duration mergeInterval,
        @Valid @NotNull @DefaultValue Security security) {

    /** Member discovery mechanism. Multicast is deliberately not offered. */
    public enum Discovery { STATIC, DNS }

    /**
     * Member authentication and encryption. With a secret, every member proves knowledge of it before it is
     * let into the view (JGroups AUTH) and all replication traffic is encrypted with a key derived from it
     * (JGroups SYM_ENCRYPT, AES-256): a JVM without the secret cannot join, read or write the registry.
     *
     * @param secret the shared cluster secret (at least 16 characters; every member needs the same one);
     *     without it the cluster runs unauthenticated and unencrypted, which start-up refuses in
     *     {@code beacon.security.mode=enforced} and warns about otherwise
     */
    public record Security(@Size(min = 16, message = "must be at least 16 characters") String secret) {

        /** Whether a secret is configured. */
        public boolean enabled() {
            return secret != null && !secret.isEmpty();
        }

        @Override
        public String toString() {
            return "Security[secret=" + (enabled() ? "******" : "none") + "]";
        }
    }

    /** Without cluster security settings (none configured). */
    public ClusterProperties(boolean enabled, String clusterName, String nodeName, String bindAddress, int port,
            int fdPortOffset, Discovery discovery, List<String> members, String dnsQuery, Duration joinTimeout,
            Duration replicationTimeout, Duration stateTimeout, Duration tombstoneLifespan, int heartbeatBatch) {
        this(enabled, clusterName, nodeName, bindAddress, port, fdPortOffset, discovery, members, dnsQuery, joinTimeout,
                replicationTimeout, stateTimeout, tombstoneLifespan, heartbeatBatch, Duration.ofSeconds(30),
                new Security(null));
    }

    @ConstructorBinding
    public ClusterProperties {
        if (enabled && discovery == Discovery.DNS && (dnsQuery == null || dnsQuery.isBlank())) {
            throw new IllegalArgumentException("beacon.cluster.dns-query is required when beacon.cluster.discovery=dns");
        }
        if (enabled && discovery == Discovery.STATIC && members.isEmpty()) {
            throw new IllegalArgumentException("beacon.cluster.members must list at least one host[port]");
        }
        if (port + fdPortOffset > 65535) {
            throw new IllegalArgumentException("beacon.cluster.port + beacon.cluster.fd-port-offset must not exceed 65535");
        }
        if (mergeInterval != null && mergeInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("beacon.cluster.merge-interval must be at least 1s, was " + mergeInterval);
        }
    }

    /** The node name to use: the configured one, or {@code <bind-address>:<port>}. */
    public String effectiveNodeName() {
        return nodeName == null || nodeName.isBlank() ? bindAddress + ":" + port : nodeName;
    }
}
