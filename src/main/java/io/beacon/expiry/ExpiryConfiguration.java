package io.beacon.expiry;

import io.beacon.registry.Registry;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Self-preservation, the guard the expiry sweeper consults before it evicts. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SelfPreservationProperties.class)
class ExpiryConfiguration {

    @Bean
    SelfPreservation selfPreservation(Registry registry, SelfPreservationProperties properties, MeterRegistry meters) {
        return new SelfPreservation(registry, properties, meters);
    }
}
