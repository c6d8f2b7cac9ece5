package io.beacon.console;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The web console: static files under {@code /ui/} (from {@code classpath:/static/ui/}), {@code /} redirected
 * to {@code /ui/}, and {@code /ui/} answered with its {@code index.html}. The console reads and acts through
 * Beacon's public API only; it owns no state and no endpoint of its own.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/", "/ui/");
        registry.addViewController("/ui/").setViewName("forward:/ui/index.html");
    }

    @Bean
    FilterRegistrationBean<ConsoleHeadersFilter> consoleHeadersFilter() {
        FilterRegistrationBean<ConsoleHeadersFilter> bean = new FilterRegistrationBean<>(new ConsoleHeadersFilter());
        bean.addUrlPatterns("/ui", "/ui/*");
        return bean;
    }
}
