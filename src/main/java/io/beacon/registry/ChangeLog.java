package io.beacon.registry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One DEBUG line per new registration, deregistration, eviction and status change; none per heartbeat.
 * DEBUG, not INFO: at INFO a fleet's registrations alone were megabytes of log per minute. Turn it on
 * with {@code logging.level.io.beacon.registry=DEBUG}; the counters in {@code /actuator/prometheus} give
 * the same numbers at any level.
 */
@Component
class ChangeLog implements RegistryListener {

    private static final Logger log = LoggerFactory.getLogger("io.beacon.registry");

    @Override
    public void on(RegistryEvent event) {
        if (!log.isDebugEnabled()) {
            return;
        }
        Instance i = event.instance();
        switch (event.kind()) {
            case REGISTERED -> log.debug("Registered {}/{} at {}:{}", i.service(), i.id(), i.address(), i.port());
            case DEREGISTERED -> log.debug("Deregistered {}/{}", i.service(), i.id());
            case EVICTED -> log.debug("Evicted {}/{}: no heartbeat since {}", i.service(), i.id(), i.lease().lastRenewedAt());
            case STATUS_CHANGED -> log.debug("{}/{} is now {}{}: {}", i.service(), i.id(), i.status(),
                    i.state().ejected() ? " (ejected)" : "", i.state().reason());
            default -> {
            }
        }
    }
}
