package io.beacon;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one random source that decides timing (long-poll jitter, the spread of health-check rounds),
 * injected like the {@link java.time.Clock}; tests replace it with a fixed one. Safe for any thread:
 * each call draws from the calling thread's {@link ThreadLocalRandom}.
 */
@Configuration(proxyBeanMethods = false)
class RandomConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RandomGenerator timingRandom() {
        return () -> ThreadLocalRandom.current().nextLong();
    }
}
