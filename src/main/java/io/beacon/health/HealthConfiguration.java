package io.beacon.health;

import io.beacon.background.BackgroundThreads;
import io.beacon.registry.Registry;
import io.beacon.security.Scope;
import io.beacon.security.ServiceAccess;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.random.RandomGenerator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Active health checks. Rounds are started on the background scheduler; probes run on two Spring-managed
 * pools, {@code beacon-check-http-N} ({@code beacon.health.http-threads}) and {@code beacon-check-tcp-N}
 * ({@code beacon.health.tcp-threads}). Each check runs on the member its {@link CheckPlacement} names (every
 * check here on a single node; one owner per instance in a cluster).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HealthProperties.class)
class HealthConfiguration {

    /** Probes waiting for a pool thread before a new one is refused (and counted as failing). */
    private static final int PROBE_QUEUE = 100_000;

    @Bean
    @ConditionalOnMissingBean(CheckScheduler.class)
    ExecutorCheckScheduler checkScheduler(@Qualifier(BackgroundThreads.SCHEDULER) TaskScheduler scheduler) {
        return new ExecutorCheckScheduler(scheduler);
    }

    /**
     * Who may aim a check at another host than the instance's own address: everyone with
     * {@code beacon.health.allow-any-target=true}; otherwise, in enforced mode, a caller with the
     * {@code operate} scope for the service ({@code admin} included). In open mode nobody is known, so the
     * own-address rule holds for every registration unless the property says otherwise.
     */
    @Bean
    @ConditionalOnMissingBean(CheckTargetAuthority.class)
    CheckTargetAuthority checkTargetAuthority(HealthProperties properties, ObjectProvider<ServiceAccess> access) {
        if (properties.allowAnyTarget()) {
            return service -> true;
        }
        ServiceAccess checks = access.getIfAvailable();
        if (checks == null) {
            return CheckTargetAuthority.OWN_ADDRESS_ONLY;
        }
        return service -> checks.enforced() && checks.allows(Scope.OPERATE, service);
    }

    @Bean
    ThreadPoolTaskExecutor checkHttpPool(HealthProperties properties) {
        return BackgroundThreads.pool("beacon-check-http-", properties.httpThreads(), PROBE_QUEUE);
    }

    @Bean
    ThreadPoolTaskExecutor checkTcpPool(HealthProperties properties) {
        return BackgroundThreads.pool("beacon-check-tcp-", properties.tcpThreads(), PROBE_QUEUE);
    }

    @Bean
    CheckProbe checkProbe(@Qualifier("checkHttpPool") ThreadPoolTaskExecutor checkHttpPool,
            @Qualifier("checkTcpPool") ThreadPoolTaskExecutor checkTcpPool) {
        return new CheckProbe(checkHttpPool, checkTcpPool);
    }

    @Bean
    @ConditionalOnProperty(name = "beacon.health.enabled", havingValue = "true", matchIfMissing = true)
    HealthCheckScheduler healthCheckScheduler(Registry registry, CheckScheduler scheduler, CheckProbe probe,
            Clock clock, RandomGenerator random, MeterRegistry meters, ObjectProvider<CheckPlacement> placement) {
        return new HealthCheckScheduler(registry, scheduler, probe, clock, random, meters,
                placement.getIfAvailable(() -> CheckPlacement.SINGLE_NODE));
    }
}
