package io.beacon.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.beacon.registry.CheckSpec;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An instance as the API shows it. {@code health} and {@code last_seen} (epoch seconds with a millisecond
 * fraction, for example {@code 1796161148.54}, never in exponent notation) are kept for older clients that
 * read them. A check's {@code interval} and {@code timeout} are shown in the short form clients send
 * ({@code 10s}, {@code 500ms}; see {@link Durations#format}). {@code explanation} says why the instance has its
 * status ({@link StatusExplanation}); only the catalog views carry it ({@link #detailed}), every other answer
 * leaves it out to stay small.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InstanceView(String id, String name, String address, int port, InstanceStatus status,
        String statusReason, Instant statusSince, StatusExplanation explanation, boolean ejected, Map<String, String> metadata,
        List<String> tags, String zone, String version, int weight, Instant registeredAt, Instant lastHeartbeat,
        Instant expiresAt, Instant evictAt, long leaseSeconds, int inflight, CheckView check, boolean health,
        @JsonProperty("last_seen") BigDecimal lastSeen) {

    /** An instance's active check as shown by the API. */
    public record CheckView(String http, String tcp, String interval, String timeout, int failuresBeforeDown,
            int successesBeforeUp, Boolean passing) {
    }

    /** The view that discovery, watch events and the write answers show: no {@code explanation}. */
    public static InstanceView of(Instance i) {
        return of(i, null);
    }

    /** The catalog view: with the {@code explanation} of the instance's status, from {@code facts}. */
    public static InstanceView detailed(Instance i, StatusFacts facts) {
        return of(i, StatusExplanation.of(i, facts));
    }

    private static InstanceView of(Instance i, StatusExplanation explanation) {
        Instant last = i.lease().lastRenewedAt();
        return new InstanceView(i.id(), i.service().value(), i.address(), i.port(), i.status(),
                i.state().reason(), i.state().since(), explanation, i.state().ejected(), i.metadata(), i.tags(), i.zone(),
                i.version(), i.weight(), i.lease().registeredAt(), last, i.lease().expiresAt(),
                i.lease().evictAt(), i.lease().duration().toSeconds(), i.inflight(), check(i),
                i.state().isDiscoverable(), epochSeconds(last));
    }

    private static CheckView check(Instance i) {
        CheckSpec c = i.check();
        if (c == null) {
            return null;
        }
        boolean http = c.type() == CheckSpec.Type.HTTP;
        return new CheckView(http ? c.target() : null, http ? null : c.target(), Durations.format(c.interval()),
                Durations.format(c.timeout()), c.failuresBeforeDown(), c.successesBeforeUp(),
                i.state().checkPassing());
    }

    /** Epoch seconds with the milliseconds as a fraction, trailing zeros dropped: {@code 1796161148.54}. */
    static BigDecimal epochSeconds(Instant t) {
        BigDecimal seconds = BigDecimal.valueOf(t.toEpochMilli(), 3).stripTrailingZeros();
        return seconds.scale() < 0 ? seconds.setScale(0) : seconds;
    }

    public static List<InstanceView> of(List<Instance> instances) {
        return instances.stream().map(InstanceView::of).toList();
    }
}
