package io.beacon.background;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/** The background scheduler: periodic passes and health-check rounds, which only start I/O. */
@Configuration(proxyBeanMethods = false)
class BackgroundConfiguration {

    @Bean(BackgroundThreads.SCHEDULER)
    ThreadPoolTaskScheduler beaconBackgroundScheduler(MeterRegistry meters) {
        return BackgroundThreads.counted(BackgroundThreads.scheduler("beacon-background-", 2, false), meters,
                "background");
    }
}
