package io.beacon.cluster;

import io.beacon.health.CheckPlacement;
import io.beacon.outlier.BreakerPlacement;
import io.beacon.policy.PolicyStorage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;
import org.infinispan.Cache;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.conflict.MergePolicy;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.partitionhandling.PartitionHandling;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The cluster-wide state beside the registry, in cluster mode: policies ({@code beacon-policies}),
 * active-check progress ({@code beacon-checks}) and outlier ejection state ({@code beacon-ejections}),
 * each a synchronously replicated cache in the cluster's cache manager, and the owner of each instance's
 * check and breaker ({@link KeyOwners}: rendezvous hashing over the current view).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "beacon.cluster", name = "enabled", havingValue = "true")
class ClusterStateConfiguration {

    static final String POLICIES = "beacon-policies";
    static final String CHECKS = "beacon-checks";
    static final String EJECTIONS = "beacon-ejections";

    @Bean
    PolicyStorage clusterPolicies(EmbeddedCacheManager manager, ClusterProperties properties) {
        return new ReplicatedPolicies(replicated(manager, POLICIES, properties));
    }

    @Bean
    KeyOwners clusterKeyOwners(EmbeddedCacheManager manager) {
        return new KeyOwners(manager);
    }

    @Bean
    CheckPlacement clusterCheckPlacement(KeyOwners owners, EmbeddedCacheManager manager,
            ClusterProperties properties) {
        return new ClusterCheckPlacement(owners, replicated(manager, CHECKS, properties));
    }

    @Bean
    BreakerPlacement clusterBreakerPlacement(KeyOwners owners, EmbeddedCacheManager manager,
            ClusterProperties properties, MeterRegistry meters) {
        Counter unrouted = Counter.builder("beacon.cluster.reports.unrouted")
                .description("Outlier reports applied on the member that received them because the owner of "
                        + "the instance's breaker could not be reached")
                .register(meters);
        return new ClusterBreakerPlacement(manager, owners, replicated(manager, EJECTIONS, properties),
                properties.replicationTimeout(), unrouted);
    }

    /**
     * A synchronously replicated cache, started with the full state; on a split, like the registry, the
     * minority side reads and refuses writes, and the majority's values win on merge.
     */
    static <K, V> Cache<K, V> replicated(EmbeddedCacheManager manager, String name, ClusterProperties properties) {
        ConfigurationBuilder cache = new ConfigurationBuilder();
        cache.clustering().cacheMode(CacheMode.REPL_SYNC)
                .remoteTimeout(properties.replicationTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .stateTransfer().fetchInMemoryState(true).awaitInitialTransfer(true)
                .timeout(properties.stateTimeout().toMillis(), TimeUnit.MILLISECONDS);
        cache.clustering().partitionHandling().whenSplit(PartitionHandling.ALLOW_READS)
                .mergePolicy(MergePolicy.PREFERRED_ALWAYS);
        if (manager.getCacheConfiguration(name) == null) {
            manager.defineConfiguration(name, cache.build());
        }
        return manager.getCache(name);
    }
}
