package io.beacon.health;

import io.beacon.registry.Registry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Active health checks. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HealthProperties.class)
class HealthConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(CheckScheduler.class)
    ExecutorCheckScheduler checkScheduler() {
        return new ExecutorCheckScheduler();
    }

    @Bean(destroyMethod = "close")
    CheckProbe checkProbe(HealthProperties properties) {
        return new CheckProbe(properties.httpThreads(), properties.tcpThreads());
    }

    @Bean
    @ConditionalOnProperty(name = "beacon.health.enabled", havingValue = "true", matchIfMissing = true)
    HealthCheckScheduler healthCheckScheduler(Registry registry, CheckScheduler scheduler, CheckProbe probe,
            Clock clock, MeterRegistry meters) {
        return new HealthCheckScheduler(registry, scheduler, probe, clock, meters);
    }
}
