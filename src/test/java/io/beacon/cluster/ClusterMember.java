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
import org.springframework.boot.builder.SpringApplicationBuilder;
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
                .initializers(ctx -> {
                    if (clock != null) {
                        ctx.getBeanFactory().registerSingleton("testClock", clock);
                    }
                    ctx.getBeanFactory().registerSingleton("testEventRecorder", (RegistryListener) events::add);
                })
                .run(args.toArray(String[]::new));
        return new ClusterMember(name, httpPort, events, context);
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
