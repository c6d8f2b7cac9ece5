package io.beacon.cluster;

import io.beacon.BeaconApplication;
import io.beacon.expiry.ExpirySweeper;
import io.beacon.registry.Registry;
import io.beacon.registry.RegistryEvent;
import io.beacon.registry.RegistryListener;
import io.beacon.support.Http;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One Beacon member as its own Spring context in the test JVM, with its own JGroups stack on 127.0.0.1
 * and its own HTTP port. Optionally driven by a shared clock; records every RegistryEvent it delivers.
 */
final class ClusterMember implements AutoCloseable {

    final String name;
    final int httpPort;
    final Http http;
    private final List<RegistryEvent> events;
    private final ConfigurableApplicationContext context;

    private ClusterMember(String name, int httpPort, List<RegistryEvent> events, ConfigurableApplicationContext context) {
        this.name = name;
        this.httpPort = httpPort;
        this.http = new Http(httpPort);
        this.events = events;
        this.context = context;
    }

    static ClusterMember start(String name, int jgroupsPort, List<Integer> all, Clock clock, List<String> extra) {
        int httpPort = ClusterPorts.http();
        List<RegistryEvent> events = new CopyOnWriteArrayList<>();
        List<String> args = new ArrayList<>(ClusterPorts.args(name, httpPort, jgroupsPort, all));
        args.addAll(extra);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(BeaconApplication.class)
                .listeners(new OneLoggingSetupAtATime())
                .initializers(ctx -> {
                    if (clock != null) {
                        ctx.getBeanFactory().registerSingleton("testClock", clock);
                    }
                    ctx.getBeanFactory().registerSingleton("testEventRecorder", (RegistryListener) events::add);
                })
                .run(args.toArray(String[]::new));
        return new ClusterMember(name, httpPort, events, context);
    }

    /**
     * Spring Boot's logging set-up (run when the environment is prepared) is not safe for two applications
     * starting at the same moment in one JVM: members started together then fail now and then with a
     * ConcurrentModificationException from LoggingApplicationListener. This listener runs before it and lets
     * one member at a time through that phase, up to the prepared context (or a failed start); the rest of
     * the start-up, the cluster join included, still runs concurrently.
     */
    private static final class OneLoggingSetupAtATime implements GenericApplicationListener {

        private static final ReentrantLock SETUP = new ReentrantLock();

        @Override
        public boolean supportsEventType(ResolvableType eventType) {
            Class<?> type = eventType.getRawClass();
            return type != null && (ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(type)
                    || ApplicationPreparedEvent.class.isAssignableFrom(type)
                    || ApplicationFailedEvent.class.isAssignableFrom(type));
        }

        @Override
        public void onApplicationEvent(ApplicationEvent event) {
            if (event instanceof ApplicationEnvironmentPreparedEvent) {
                SETUP.lock();
            } else if (SETUP.isHeldByCurrentThread()) {
                SETUP.unlock();
            }
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }

    /** Every RegistryEvent this member has delivered so far. */
    List<RegistryEvent> events() {
        return events;
    }

    Registry registry() {
        return context.getBean(Registry.class);
    }

    /** This member's replica of the replicated registry cache. */
    @SuppressWarnings("unchecked")
    org.infinispan.Cache<String, StoredInstance> cache() {
        return context.getBean("clusterRegistryCache", org.infinispan.Cache.class);
    }

    /** This member's replica of one of the cluster-state caches (policies, check progress, ejections). */
    <V> org.infinispan.Cache<String, V> stateCache(String name) {
        return context.getBean(org.infinispan.manager.EmbeddedCacheManager.class).getCache(name);
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    ExpirySweeper sweeper() {
        return context.getBean(ExpirySweeper.class);
    }

    boolean isRunning() {
        return context.isActive();
    }

    @Override
    public void close() {
        if (context.isActive()) {
            context.close();
        }
    }
}
