package io.beacon.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.Instance;
import io.beacon.registry.InstanceState;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Lease;
import io.beacon.registry.ServiceName;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The target groups Beacon gives Prometheus, without a server. */
class PrometheusTargetsTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void oneGroupPerInstanceWithSanitisedMetadataAndConsulStyleTags() {
        Instance i = new Instance(ServiceName.of("orders"), "o-1", "fd00::1", 8080,
                Map.of("team.name", "core", "team-name", "other", "9x", "nine"), List.of("web", "v2"), "eu-1", "2.1",
                100, Lease.start(NOW, Duration.ofSeconds(30), Duration.ofSeconds(90)),
                InstanceState.initial(InstanceStatus.UP, NOW), 0, null, Map.of(), NOW);
        PrometheusTargetsController.TargetGroup g = PrometheusTargetsController.group(i);
        assertThat(g.targets()).containsExactly("[fd00::1]:8080");
        assertThat(g.labels()).containsEntry("__meta_beacon_service", "orders")
                .containsEntry("__meta_beacon_instance_id", "o-1")
                .containsEntry("__meta_beacon_zone", "eu-1")
                .containsEntry("__meta_beacon_version", "2.1")
                .containsEntry("__meta_beacon_tags", ",web,v2,")
                .containsEntry("__meta_beacon_metadata_team_name", "other")
                .containsEntry("__meta_beacon_metadata_9x", "nine");
    }

    @Test
    void sanitisesLabelNames() {
        assertThat(PrometheusTargetsController.sanitise("a.b-c/d é")).isEqualTo("a_b_c_d__");
    }
}
