package io.beacon.registration;

import io.beacon.registry.Instance;
import java.time.Instant;

/** {@code PUT /heartbeat}: the renewed lease. */
public record HeartbeatResponse(String name, String id, String status, Instant lastHeartbeat, Instant expiresAt,
        Instant evictAt) {

    static HeartbeatResponse of(Instance i) {
        return new HeartbeatResponse(i.service().value(), i.id(), i.status().name(), i.lease().lastRenewedAt(),
                i.lease().expiresAt(), i.lease().evictAt());
    }
}
