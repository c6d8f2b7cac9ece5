package io.beacon.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code beacon.auth.denied{reason}} (Prometheus {@code beacon_auth_denied_total}): requests refused in
 * enforced mode, by reason; every reason registered at 0 at start-up.
 */
final class DenialCounter {

    /** Why a request was refused. */
    enum Reason {
        /** 401: no credentials on a request that needs them. */
        MISSING,
        /** 401: an {@code Authorization} header Beacon cannot read. */
        MALFORMED,
        /** 401: a token Beacon does not know. */
        UNKNOWN,
        /** 401: a revoked token. */
        REVOKED,
        /** 403: a valid token without the scope needed. */
        SCOPE;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<Reason, Counter> counters = new EnumMap<>(Reason.class);

    DenialCounter(MeterRegistry meters) {
        for (Reason reason : Reason.values()) {
            counters.put(reason, Counter.builder("beacon.auth.denied")
                    .description("Requests refused by access control (enforced mode), by reason: missing, "
                            + "malformed, unknown or revoked credentials (401), or a scope the token lacks (403)")
                    .tag("reason", reason.label()).register(meters));
        }
    }

    void count(Reason reason) {
        counters.get(reason).increment();
    }
}
