package io.beacon.expiry;

import io.beacon.registry.Registry;
import io.beacon.role.NodeRole;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Self-preservation, the guard the expiry sweeper consults before it evicts, and the warm-up health component. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SelfPreservationProperties.class)
class ExpiryConfiguration {

    @Bean
    SelfPreservation selfPreservation(Registry registry, SelfPreservationProperties properties, MeterRegistry meters,
            NodeRole role) {
        return new SelfPreservation(registry, properties, meters, role);
    }

    /** The {@code warmUp} health component, part of the readiness group. */
    @Bean
    WarmUp warmUp(ExpirySweeper sweeper) {
        return sweeper.warmUp();
    }
}
