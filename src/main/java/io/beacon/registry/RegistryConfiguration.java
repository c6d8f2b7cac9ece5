package io.beacon.registry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The embedded single-node registry, unless another implementation (cluster mode) is configured. */
@Configuration(proxyBeanMethods = false)
class RegistryConfiguration {

    @Bean
    @ConditionalOnMissingBean(Registry.class)
    InMemoryRegistry registry(ApplicationEventPublisher events) {
        return new InMemoryRegistry(events);
    }
}
