package io.beacon.metrics;

import io.beacon.registry.RegistryEvent;
import java.util.function.Consumer;

/** Gives tests outside this package the metrics' event listener, to wire it up without Spring. */
public final class RegistryMetricsListener {

    private RegistryMetricsListener() {
    }

    public static Consumer<RegistryEvent> of(RegistryMetrics metrics) {
        return metrics::on;
    }
}
