package io.beacon.web;

import io.beacon.background.BackgroundThreads;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.random.RandomGenerator;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The per-client rate budgets: {@link RateLimitValve} first in the pipeline of Beacon's Tomcat context,
 * and the one thread that sends delayed refusals.
 */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

    static final String REFUSALS = "beaconRefusalScheduler";

    @Bean(REFUSALS)
    ThreadPoolTaskScheduler beaconRefusalScheduler(MeterRegistry meters) {
        return BackgroundThreads.counted(BackgroundThreads.scheduler("beacon-refusals-", 1, true), meters, "refusals");
    }

    @Bean
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> rateLimitValve(RateLimits limits, Clock clock,
            MeterRegistry meters, @Qualifier(REFUSALS) ThreadPoolTaskScheduler refusals, RandomGenerator random) {
        RateLimitValve valve = new RateLimitValve(new RateLimiter(limits, clock), new LimitRejections(meters),
                new DelayedRefusals(), refusals, limits.refusalDelay().toNanos(), random);
        return factory -> factory.addContextCustomizers(context -> context.getPipeline().addValve(valve));
    }
}
