package io.beacon.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Puts {@link RequestMetricsFilter} where Spring Boot's HTTP observation filter would be, and keeps Boot's
 * away (it would record the same timer a second time), unless {@code beacon.metrics.http.observation=true}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "beacon.metrics.http.observation", havingValue = "false", matchIfMissing = true)
class RequestMetricsConfiguration {

    @Bean
    FilterRegistrationBean<RequestMetricsFilter> requestMetricsFilter(MeterRegistry meters) {
        FilterRegistrationBean<RequestMetricsFilter> registration =
                new FilterRegistrationBean<>(new RequestMetricsFilter(meters));
        registration.setOrder(FilterOrder.REQUEST_METRICS);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        return registration;
    }

    /** Present and disabled: Spring Boot adds its observation filter only when no such bean exists. */
    @Bean
    FilterRegistrationBean<ServerHttpObservationFilter> disabledObservationFilter() {
        FilterRegistrationBean<ServerHttpObservationFilter> registration =
                new FilterRegistrationBean<>(new ServerHttpObservationFilter(ObservationRegistry.NOOP));
        registration.setEnabled(false);
        return registration;
    }
}
