package io.beacon.web;

import io.beacon.background.BackgroundThreads;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The per-client rate budgets: {@link RateLimitFilter} first in the servlet filter chain (on the request's
 * first dispatch only), and the one thread that sends delayed refusals.
 */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

    static final String REFUSALS = "beaconRefusalScheduler";

    @Bean(REFUSALS)
    ThreadPoolTaskScheduler beaconRefusalScheduler(MeterRegistry meters) {
        return BackgroundThreads.counted(BackgroundThreads.scheduler("beacon-refusals-", 1, true), meters, "refusals");
    }

    @Bean
    FilterRegistrationBean<RateLimitFilter> rateLimitFilter(RateLimits limits, Clock clock, MeterRegistry meters,
            @Qualifier(REFUSALS) ThreadPoolTaskScheduler refusals) {
        RateLimitFilter filter = new RateLimitFilter(new RateLimiter(limits, clock), new LimitRejections(meters),
                new DelayedRefusals(), refusals, limits.refusalDelay().toNanos());
        FilterRegistrationBean<RateLimitFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(FilterOrder.RATE_LIMIT);
        registration.setAsyncSupported(true);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        return registration;
    }
}
