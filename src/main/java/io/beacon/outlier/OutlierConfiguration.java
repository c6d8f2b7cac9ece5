package io.beacon.outlier;

import io.beacon.policy.PolicyStore;
import io.beacon.registry.Registry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Passive health: reports, breakers, ejections and panic mode; off with {@code beacon.outlier.enabled=false}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OutlierProperties.class)
@ConditionalOnProperty(name = "beacon.outlier.enabled", havingValue = "true", matchIfMissing = true)
class OutlierConfiguration {

    @Bean
    OutlierDetector outlierDetector(Registry registry, PolicyStore policies, OutlierProperties properties,
            Clock clock, MeterRegistry meters, ObjectProvider<BreakerPlacement> placement) {
        return new OutlierDetector(registry, policies, properties, clock, meters,
                placement.getIfAvailable(() -> BreakerPlacement.SINGLE_NODE));
    }

    @Bean
    OutlierSweepTask outlierSweepTask(OutlierDetector detector, Clock clock, OutlierProperties properties) {
        return new OutlierSweepTask(detector, clock, properties);
    }

    @Bean
    OutlierPanicMode outlierPanicMode(PolicyStore policies, OutlierProperties properties) {
        return new OutlierPanicMode(policies, properties);
    }
}
