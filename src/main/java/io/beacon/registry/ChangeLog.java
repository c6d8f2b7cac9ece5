package io.beacon.registry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** One INFO line per new registration, deregistration, eviction and status change; none per heartbeat. */
@Component
class ChangeLog implements RegistryListener {

    private static final Logger log = LoggerFactory.getLogger("io.beacon.registry");

    @Override
    public void on(RegistryEvent event) {
        if (!log.isInfoEnabled()) {
            return;
        }
        Instance i = event.instance();
        switch (event.kind()) {
            case REGISTERED -> log.info("Registered {}/{} at {}:{}", i.service(), i.id(), i.address(), i.port());
            case DEREGISTERED -> log.info("Deregistered {}/{}", i.service(), i.id());
            case EVICTED -> log.info("Evicted {}/{}: no heartbeat since {}", i.service(), i.id(), i.lease().lastRenewedAt());
            case STATUS_CHANGED -> log.info("{}/{} is now {}{}: {}", i.service(), i.id(), i.status(),
                    i.state().ejected() ? " (ejected)" : "", i.state().reason());
            default -> {
            }
        }
    }
}
