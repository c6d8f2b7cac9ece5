package io.beacon.xds;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The xDS meters: {@code beacon.xds.streams} (open ADS streams), {@code beacon.xds.pushes{type}} (responses
 * sent) and {@code beacon.xds.nacks{type}} (responses clients rejected), registered for every type at start.
 */
final class XdsMetrics {

    private final MeterRegistry meters;
    private final Map<ResourceType, Counter> pushes = new EnumMap<>(ResourceType.class);
    private final Map<ResourceType, Counter> nacks = new EnumMap<>(ResourceType.class);

    XdsMetrics(MeterRegistry meters) {
        this.meters = meters;
        for (ResourceType type : ResourceType.values()) {
            pushes.put(type, Counter.builder("beacon.xds.pushes").tag("type", type.tag())
                    .description("xDS responses sent to clients").register(meters));
            nacks.put(type, Counter.builder("beacon.xds.nacks").tag("type", type.tag())
                    .description("xDS responses clients rejected (NACKs)").register(meters));
        }
    }

    void streams(IntSupplier open) {
        Gauge.builder("beacon.xds.streams", open::getAsInt).description("Open xDS (ADS) streams").register(meters);
    }

    void pushed(ResourceType type) {
        pushes.get(type).increment();
    }

    void rejected(ResourceType type) {
        nacks.get(type).increment();
    }
}
