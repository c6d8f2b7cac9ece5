package io.beacon.discovery;

import io.beacon.policy.PolicyChanged;
import io.beacon.registry.RegistryEvent;
import io.beacon.registry.RegistryListener;
import io.beacon.registry.ServiceName;
import io.beacon.registry.SharedAnswer;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The serialised answer of a plain {@code GET /discover?name=X} (no filters), reused until anything about
 * service X changes — any registry event, renewals included (they move {@code lastHeartbeat}), or a policy
 * change. Never time-based: an answer is served only while the service's change stamp is the one it was
 * built under.
 *
 * <p>Correctness rests on ordering: the stamp is read before the snapshot, and events are published after
 * the change they describe. An answer stored under stamp S was built from a snapshot at least as new as
 * S, and any later change moves the stamp past S, so a stale answer is never served.
 *
 * <p>Each answer is built once per change ({@link SharedAnswer}): requests arriving together after a
 * change wait for the first one's build and are all written from the same bytes.
 */
@Component
class DiscoveryCache implements RegistryListener {

    /** A ready answer: the JSON body and the values of its headers. */
    public record Answer(byte[] body, long index, boolean panic) {
    }

    private final ConcurrentHashMap<ServiceName, AtomicLong> stamps = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ServiceName, SharedAnswer<Answer>> entries = new ConcurrentHashMap<>();
    private final JsonMapper json;
    private final int maxEntries;

    @Autowired
    public DiscoveryCache(JsonMapper json) {
        this(json, 10_000);
    }

    DiscoveryCache(JsonMapper json, int maxEntries) {
        this.json = json;
        this.maxEntries = maxEntries;
    }

    @Override
    public void on(RegistryEvent event) {
        bump(event.service());
    }

    @EventListener
    void on(PolicyChanged event) {
        bump(event.service());
    }

    private void bump(ServiceName service) {
        AtomicLong stamp = stamps.get(service);
        if (stamp != null) {
            stamp.incrementAndGet();
        }
    }

    /**
     * The cached answer for {@code service}, or a new one built by {@code build} (whose result is
     * serialised once and kept until the service changes).
     */
    public Answer get(ServiceName service, Supplier<Responses.Discovery> build) {
        AtomicLong known = stamps.get(service); // lock-free; computeIfAbsent may lock the key's bin
        long stamp = (known != null ? known : stamps.computeIfAbsent(service, s -> new AtomicLong())).get();
        SharedAnswer<Answer> shared = entries.get(service);
        if (shared == null) {
            if (entries.size() >= maxEntries) {
                trim();
            }
            shared = entries.computeIfAbsent(service, s -> new SharedAnswer<>());
        }
        return shared.get(stamp, () -> {
            Responses.Discovery discovery = build.get();
            return new Answer(json.writeValueAsBytes(discovery), discovery.index(),
                    Boolean.TRUE.equals(discovery.panic()));
        });
    }

    /** Drops about a tenth of the entries to stay within the bound (only read services are ever cached). */
    private void trim() {
        int drop = Math.max(1, maxEntries / 10);
        Iterator<ServiceName> it = entries.keySet().iterator();
        while (drop-- > 0 && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    int size() {
        return entries.size();
    }
}
