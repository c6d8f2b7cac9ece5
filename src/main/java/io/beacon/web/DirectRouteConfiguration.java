package io.beacon.web;

import jakarta.servlet.DispatcherType;
import java.util.List;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerExceptionResolver;

/** Puts {@link DirectRouteFilter} with every {@link DirectRoute} in the filter chain, unless turned off. */
@Configuration(proxyBeanMethods = false)
class DirectRouteConfiguration {

    @Bean
    FilterRegistrationBean<DirectRouteFilter> directRouteFilter(List<DirectRoute> routes,
            ConnectorProperties properties, @Qualifier("handlerExceptionResolver") HandlerExceptionResolver exceptions) {
        FilterRegistrationBean<DirectRouteFilter> registration =
                new FilterRegistrationBean<>(new DirectRouteFilter(routes, exceptions));
        registration.setOrder(FilterOrder.DIRECT_ROUTES);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setEnabled(properties.directRoutes() && !routes.isEmpty());
        return registration;
    }
}
