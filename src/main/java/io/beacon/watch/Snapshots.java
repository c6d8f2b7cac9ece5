package io.beacon.watch;

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
 * or older than what it shows.
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

    private final Registry registry;
    private final JsonMapper json;
    private final SharedAnswer<Global> all = new SharedAnswer<>();

    Snapshots(Registry registry, JsonMapper json) {
        this.registry = registry;
        this.json = json;
    }

    Frame service(ServiceName name) {
        ServiceSnapshot snapshot = registry.service(name);
        byte[] data = json.writeValueAsBytes(ServiceData.of(snapshot));
        return new Frame(snapshot.index(), Frames.event("snapshot", snapshot.index(), data));
    }

    /** The all-services snapshot at {@code position} or later, shared by the subscribers asking for it. */
    Global all(long position) {
        return all.get(position, () -> build(position));
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
