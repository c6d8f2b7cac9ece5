package io.beacon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.InMemoryRegistry;
import io.beacon.registry.InstanceStatus;
import io.beacon.support.MutableClock;
import io.beacon.support.RecordingListener;
import io.beacon.support.TestInstances;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code beacon_instances} has a {@code service} label for the first {@code beacon.metrics.max-services}
 * services only; every later service is summed in {@code service="~other"}, so the series count and the
 * scrape stay bounded however many services register.
 */
class MetricCardinalityTest {

    private final MutableClock clock = new MutableClock();
    private final RecordingListener events = new RecordingListener().notRecording();
    private final InMemoryRegistry registry = new InMemoryRegistry(events);

    private RegistryMetrics bind(int maxServices, io.micrometer.core.instrument.MeterRegistry meters) {
        RegistryMetrics metrics = new RegistryMetrics(registry, new MetricsProperties(maxServices));
        events.forwardTo(metrics::on);
        metrics.bindTo(meters);
        return metrics;
    }

    private void register(String service, String id) {
        Instant now = clock.instant();
        registry.register(TestInstances.instance(service, id, now), now);
    }

    @Test
    void servicesPastTheLimitAreSummedInTheAggregateSeries() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        bind(3, meters);
        for (int s = 1; s <= 5; s++) {
            for (int i = 0; i < s; i++) {
                register("svc-" + s, "i" + i);
            }
        }

        Set<String> labels = meters.find("beacon.instances").gauges().stream()
                .map(g -> g.getId().getTag("service")).collect(Collectors.toSet());
        assertThat(labels).containsExactlyInAnyOrder("svc-1", "svc-2", "svc-3", RegistryMetrics.OTHER);
        assertThat(up(meters, "svc-3")).isEqualTo(3.0);
        assertThat(up(meters, RegistryMetrics.OTHER)).isEqualTo(4.0 + 5.0);

        // a service that already has its own series keeps it; the aggregate follows removals
        register("svc-1", "extra");
        assertThat(up(meters, "svc-1")).isEqualTo(2.0);
        registry.deregister(io.beacon.registry.InstanceKey.of("svc-5", "i0"));
        assertThat(up(meters, RegistryMetrics.OTHER)).isEqualTo(8.0);
    }

    private static double up(SimpleMeterRegistry meters, String service) {
        Gauge gauge = meters.get("beacon.instances").tag("service", service).tag("status", InstanceStatus.UP.name()).gauge();
        return gauge.value();
    }

    @Test
    void aScrapeOf20000ServicesStaysUnderOneMegabyteWithTheDefault() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        bind(new MetricsProperties(1000).maxServices(), prometheus);
        for (int s = 0; s < 20_000; s++) {
            register("service-number-" + s, "10.0.0.1:8080");
        }

        String scrape = prometheus.scrape();

        assertThat(scrape.getBytes(StandardCharsets.UTF_8).length).isLessThan(1_000_000);
        assertThat(scrape).contains("beacon_instances{service=\"~other\",status=\"UP\"} 19000.0");
        assertThat(scrape.lines().filter(l -> l.startsWith("beacon_instances{")).count())
                .isEqualTo(1001L * InstanceStatus.values().length);
    }
}
