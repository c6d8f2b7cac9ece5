package io.beacon.watch;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

import io.beacon.web.InstanceView;
import io.beacon.registry.Registry;
import io.beacon.registry.ServiceName;
import io.beacon.registry.ServiceSnapshot;
import io.beacon.registry.SharedAnswer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Snapshot frames: the first event of a stream, and the answer to a resume that history cannot cover.
 *
 * <p>The all-services frame is built once per position of the all-services stream and shared by the
 * subscribers that start at that position ({@link SharedAnswer}); the position is read before the
 * registry, so the frame's {@code id} and {@code position} are those of every subscriber sharing it,
 * or older than what it shows. A service's snapshot frame is shared the same way by the subscribers of
 * that service, keyed by the service's index.
 *
 * <p>Plain renewals move neither the position nor an index, yet they change the {@code lastHeartbeat} a
 * snapshot shows. So a shared frame is kept for at most {@link #HEARTBEAT_LAG} as well: its key is the
 * position (or index) plus the number of periods of that length so far (from the injected clock), so a
 * frame is built again in the next period. (A frame shared this way may carry an older position than a
 * subscriber read; the changes it already shows are not replayed to that subscriber, see
 * {@link GlobalWatch#subscribe}.) The {@code lastHeartbeat} values of a snapshot lag the registry by at
 * most that much; everything else in it is exact.
 */
final class Snapshots {

    /** A ready frame and the index it stands for. */
    record Frame(long index, byte[] bytes) {
    }

    /** The all-services snapshot frame and each service's index in it. */
    record Global(byte[] bytes, Map<ServiceName, Long> indexes) {
    }

    /** Data of a service snapshot event: every instance, any status. */
    record ServiceData(String name, long index, List<InstanceView> instances) {
        static ServiceData of(ServiceSnapshot s) {
            return new ServiceData(s.name().value(), s.index(), InstanceView.of(s.instances()));
        }
    }

    /** Data of the all-services snapshot event. */
    record GlobalData(long position, List<ServiceData> services) {
    }

    /** Longest time a shared snapshot is kept without a change: the most its {@code lastHeartbeat} values lag. */
    static final Duration HEARTBEAT_LAG = Duration.ofSeconds(5);

    /** Most services whose snapshot frames are kept; past it about a tenth are dropped (rebuilt when asked). */
    static final int MAX_SERVICE_FRAMES = 10_000;

    private final Registry registry;
    private final JsonMapper json;
    private final Clock clock;
    private final SharedAnswer<Global> all = new SharedAnswer<>();
    private final ConcurrentHashMap<ServiceName, SharedAnswer<Frame>> services = new ConcurrentHashMap<>();

    Snapshots(Registry registry, JsonMapper json, Clock clock) {
        this.registry = registry;
        this.json = json;
        this.clock = clock;
    }

    /** The snapshot frame of one service, shared by the subscribers asking for it at the same index and period. */
    Frame service(ServiceName name) {
        long key = key(registry.index(name));
        SharedAnswer<Frame> shared = services.get(name);
        if (shared == null) {
            if (services.size() >= MAX_SERVICE_FRAMES) {
                trim();
            }
            shared = services.computeIfAbsent(name, n -> new SharedAnswer<>());
        }
        return shared.get(key, () -> {
            ServiceSnapshot snapshot = registry.service(name);
            byte[] data = json.writeValueAsBytes(ServiceData.of(snapshot));
            return new Frame(snapshot.index(), Frames.event("snapshot", snapshot.index(), data));
        });
    }

    /** The all-services snapshot at {@code position} or later, shared by the subscribers asking for it. */
    Global all(long position) {
        return all.get(key(position), () -> build(position));
    }

    /** Builds of one service's snapshot frame so far (for tests). */
    long builds(ServiceName name) {
        SharedAnswer<Frame> shared = services.get(name);
        return shared == null ? 0 : shared.builds();
    }

    /**
     * The sharing key: {@code version} plus the number of {@link #HEARTBEAT_LAG} periods of the clock so far.
     * It grows with both, and a frame kept under a key at least a reader's was built from a registry read
     * after that reader read its version: either the version is as new, or the frame was built in a later
     * period, that is after the reader's read (the version is read first, then the clock, then the registry).
     */
    private long key(long version) {
        return version + clock.millis() / HEARTBEAT_LAG.toMillis();
    }

    private void trim() {
        int drop = Math.max(1, MAX_SERVICE_FRAMES / 10);
        Iterator<ServiceName> it = services.keySet().iterator();
        while (drop-- > 0 && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    /** Builds of the all-services snapshot so far. */
    long builds() {
        return all.builds();
    }

    private Global build(long position) {
        List<ServiceSnapshot> services = registry.services();
        Map<ServiceName, Long> indexes = new HashMap<>();
        services.forEach(s -> indexes.put(s.name(), s.index()));
        byte[] data = json.writeValueAsBytes(new GlobalData(position,
                services.stream().map(ServiceData::of).toList()));
        return new Global(Frames.event("snapshot", position, data), Map.copyOf(indexes));
    }
}
