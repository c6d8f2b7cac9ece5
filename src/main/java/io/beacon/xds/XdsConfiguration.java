package io.beacon.xds;

import io.beacon.background.BackgroundThreads;
import io.beacon.balance.LoadBalancer;
import io.beacon.outlier.OutlierProperties;
import io.beacon.policy.PolicyStore;
import io.beacon.registry.Registry;
import io.beacon.security.TokenCheck;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/** The xDS control plane, on with {@code beacon.xds.enabled=true}: catalog, streams, server and meters. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "beacon.xds.enabled", havingValue = "true")
class XdsConfiguration {

    static final String PUSH_THREADS = "beaconXdsPushes";
    /** Threads that push changes to the streams; a change's pushes are split among them. */
    static final int PUSH_THREAD_COUNT = 2;

    @Bean(PUSH_THREADS)
    ThreadPoolTaskExecutor beaconXdsPushes() {
        return BackgroundThreads.pool("beacon-xds-", PUSH_THREAD_COUNT, Integer.MAX_VALUE);
    }

    @Bean
    XdsCatalog xdsCatalog(Registry registry, PolicyStore policies, LoadBalancer balancer, XdsProperties properties,
            ObjectProvider<OutlierProperties> outlier) {
        OutlierProperties thresholds = outlier.getIfAvailable();
        return new XdsCatalog(registry, policies, balancer,
                thresholds != null && thresholds.enabled() ? thresholds : null,
                new XdsMapping(properties.versionHeader(), properties.hashHeader()));
    }

    @Bean
    XdsHub xdsHub(XdsCatalog catalog, Registry registry, @Qualifier(PUSH_THREADS) ThreadPoolTaskExecutor pushes,
            MeterRegistry meters) {
        return new XdsHub(catalog, registry, pushes, PUSH_THREAD_COUNT, new XdsMetrics(meters));
    }

    @Bean
    XdsServer xdsServer(XdsProperties properties, XdsHub hub, XdsCatalog catalog, TokenCheck tokens,
            Environment environment) {
        String address = properties.address().isEmpty() ? environment.getProperty("server.address", "")
                : properties.address();
        ServerServiceDefinition ads = new AdsService(hub).bindService();
        if (tokens.enforced()) {
            ads = ServerInterceptors.intercept(ads, new XdsAccess(tokens));
        }
        return new XdsServer(address, properties.port(), ads, catalog::warmUp);
    }
}
