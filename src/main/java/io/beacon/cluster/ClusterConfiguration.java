package io.beacon.cluster;

import io.beacon.registry.CapacityLimits;
import io.beacon.registry.RegistryEvents;
import io.beacon.role.NodeRole;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.infinispan.Cache;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.distribution.DistributionManager;
import org.infinispan.functional.FunctionalMap.ReadWriteMap;
import org.infinispan.functional.impl.FunctionalMapImpl;
import org.infinispan.functional.impl.ReadWriteMapImpl;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.partitionhandling.PartitionHandling;
import org.infinispan.conflict.MergePolicy;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Cluster mode ({@code beacon.cluster.enabled=true}): starts an embedded Infinispan cache manager on the
 * configured JGroups stack, joins the cluster, waits for the full state, and provides the
 * {@link ClusteredRegistry} in place of the in-memory one. Nothing here is loaded when disabled.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "beacon.cluster", name = "enabled", havingValue = "true")
class ClusterConfiguration {

    static final String CACHE = "beacon-registry";

    private static final Logger log = LoggerFactory.getLogger(ClusterConfiguration.class);

    @Bean(destroyMethod = "stop")
    EmbeddedCacheManager clusterCacheManager(ClusterProperties properties) {
        GlobalConfigurationBuilder global = new GlobalConfigurationBuilder();
        // the stack is handed over as XML: Infinispan otherwise falls back to its multicast (UDP) default
        global.transport().defaultTransport()
                .addProperty(JGroupsTransport.CONFIGURATION_XML, JGroupsStack.xml(properties))
                .clusterName(properties.clusterName()).nodeName(properties.effectiveNodeName());
        global.serialization().addContextInitializer(new ClusterSchemaImpl());
        global.jmx().disable();
        ConfigurationBuilder cache = new ConfigurationBuilder();
        cache.clustering().cacheMode(CacheMode.REPL_SYNC)
                .remoteTimeout(properties.replicationTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .stateTransfer().fetchInMemoryState(true).awaitInitialTransfer(true)
                .timeout(properties.stateTimeout().toMillis(), TimeUnit.MILLISECONDS);
        cache.expiration().wakeUpInterval(1, TimeUnit.SECONDS);
        // a member cut off from the majority answers reads from its copy and refuses writes; on merge the
        // majority's values win (the minority wrote nothing meanwhile)
        cache.clustering().partitionHandling().whenSplit(PartitionHandling.ALLOW_READS)
                .mergePolicy(MergePolicy.PREFERRED_ALWAYS);
        DefaultCacheManager manager = new DefaultCacheManager(global.build(), false);
        manager.defineConfiguration(CACHE, cache.build());
        manager.start();
        log.info("Joined cluster '{}' as {}; members {}", properties.clusterName(), properties.effectiveNodeName(),
                manager.getMembers());
        return manager;
    }

    @Bean
    LocalView clusterLocalView(RegistryEvents events, CapacityLimits capacity) {
        return new LocalView(events, capacity);
    }

    /** The replicated cache, started with the full state (blocks until the initial state transfer is done). */
    @Bean
    Cache<String, StoredInstance> clusterRegistryCache(EmbeddedCacheManager manager, LocalView view) {
        Cache<String, StoredInstance> cache = manager.getCache(CACHE);
        cache.addListener(view);
        view.bootstrap(cache.values(), cache::get);
        log.info("Cluster registry ready with {} instances", view.size());
        return cache;
    }

    /** Started and stopped by Spring ({@link RenewalBatcher#PHASE}). */
    @Bean
    RenewalBatcher clusterRenewals(Cache<String, StoredInstance> cache, ClusterProperties properties,
            MeterRegistry meters) {
        DistributionSummary batches = DistributionSummary.builder("beacon.cluster.heartbeat.batch")
                .description("Heartbeats replicated together in one command").baseUnit("heartbeats")
                .publishPercentiles(0.5, 0.99).register(meters);
        DistributionManager distribution = cache.getAdvancedCache().getDistributionManager();
        return new RenewalBatcher(readWrite(cache),
                key -> distribution.getCacheTopology().getDistribution(key).primary(), properties.heartbeatBatch(), properties.replicationTimeout(),
                replicationTimer(meters), batches);
    }

    @Bean
    @Primary
    ClusteredRegistry clusteredRegistry(Cache<String, StoredInstance> cache, LocalView view,
            EmbeddedCacheManager manager, ClusterProperties properties, MeterRegistry meters,
            RenewalBatcher renewals, Clock clock) {
        Counter casRetries = Counter.builder("beacon.cluster.cas.retries")
                .description("Compare-and-set writes retried after a conflict (a write gives up after "
                        + ClusteredRegistry.MAX_ATTEMPTS + " attempts)").register(meters);
        ReadWriteMap<String, StoredInstance> owners = readWrite(cache);
        return new ClusteredRegistry(cache, view, replicationTimer(meters), casRetries,
                properties.tombstoneLifespan(), renewals, key -> owners.eval(key, Renewal.Peek.INSTANCE).join(), clock);
    }

    private static ReadWriteMap<String, StoredInstance> readWrite(Cache<String, StoredInstance> cache) {
        return ReadWriteMapImpl.create(FunctionalMapImpl.create(cache.getAdvancedCache()));
    }

    private static Timer replicationTimer(MeterRegistry meters) {
        return Timer.builder("beacon.cluster.replication")
                .description("Time of synchronously replicated registry writes (acknowledged by every member); "
                        + "a batch of heartbeats counts once")
                .publishPercentiles(0.5, 0.99).register(meters);
    }

    /** The expiry role: the JGroups coordinator holds it. */
    @Bean
    NodeRole clusterNodeRole(EmbeddedCacheManager manager) {
        return new CoordinatorRole(manager);
    }

    @Bean
    ClusterHealthIndicator clusterHealthIndicator(EmbeddedCacheManager manager, LocalView view,
            Cache<String, StoredInstance> cache, NodeRole role) {
        return new ClusterHealthIndicator(manager, view, cache, role);
    }

    @Bean
    ClusterMetrics clusterMetrics(EmbeddedCacheManager manager, NodeRole role) {
        return new ClusterMetrics(manager, role);
    }

}
