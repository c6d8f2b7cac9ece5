package io.beacon.watch;

import io.beacon.background.BackgroundThreads;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The watch threads, {@code beacon-watch-N} ({@code beacon.watch.sender-threads} of them): they write
 * stream frames, answer woken and timed-out long polls, and keep the per-stream keep-alive and per-poll
 * timeout timers. They keep taking tasks while the application closes, so that every open stream is ended
 * and every held poll answered before the web server stops.
 */
@Configuration(proxyBeanMethods = false)
class WatchConfiguration {

    /** Bean name (and qualifier) of the watch scheduler. */
    static final String THREADS = "beaconWatchScheduler";

    @Bean(THREADS)
    ThreadPoolTaskScheduler beaconWatchScheduler(WatchProperties properties, MeterRegistry meters) {
        return BackgroundThreads.counted(BackgroundThreads.scheduler("beacon-watch-", properties.senderThreads(), true),
                meters, "watch");
    }
}
