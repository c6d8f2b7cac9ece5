package io.beacon.registry;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Event delivery for whichever registry runs, and the embedded single-node registry unless another
 * implementation (cluster mode) is configured. Every {@link RegistryListener} bean receives the events
 * from the moment all singletons exist; events raised earlier are delivered then.
 */
@Configuration(proxyBeanMethods = false)
class RegistryConfiguration {

    @Bean
    RegistryEvents registryEvents(MeterRegistry meters, Clock clock) {
        return new RegistryEvents(meters, clock);
    }

    @Bean
    SmartInitializingSingleton registryListeners(RegistryEvents events, ObjectProvider<RegistryListener> listeners) {
        return () -> events.start(listeners.orderedStream().toList());
    }

    @Bean
    @ConditionalOnMissingBean(Registry.class)
    InMemoryRegistry registry(RegistryEvents events, CapacityLimits capacity) {
        return new InMemoryRegistry(events, capacity);
    }
}
