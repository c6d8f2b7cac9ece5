package io.beacon.support;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AliasFor;

/**
 * A {@link WebMvcTest} slice of Beacon: the given controllers with the web package's error handling and
 * body-size filter, plus what every Beacon controller stands on and a plain slice leaves out: the registry
 * package's own configuration (the real in-memory registry and its event delivery), every
 * {@code @ConfigurationProperties} record with its defaults, a {@link MutableClock} and a simple meter
 * registry. Further collaborators come with {@code @Import} or {@code @MockitoBean} on the test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@WebMvcTest(includeFilters = {
    @ComponentScan.Filter(type = FilterType.REGEX, pattern = "io\\.beacon\\.registry\\..*"),
    @ComponentScan.Filter(type = FilterType.REGEX, pattern = "io\\.beacon\\.security\\..*"),
    @ComponentScan.Filter(ConfigurationProperties.class)})
@Import({TestClockConfiguration.class, BeaconWebMvcTest.Meters.class})
public @interface BeaconWebMvcTest {

    /** The controllers under test. */
    @AliasFor(annotation = WebMvcTest.class, attribute = "controllers")
    Class<?>[] value() default {};

    /** Properties for the slice, {@code key=value}. */
    @AliasFor(annotation = WebMvcTest.class, attribute = "properties")
    String[] properties() default {};

    /** Meters for the registry's event delivery and whatever else counts. */
    @TestConfiguration(proxyBeanMethods = false)
    class Meters {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
