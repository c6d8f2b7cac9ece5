package io.beacon.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.InMemoryRegistry;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.ServiceName;
import io.beacon.support.MutableClock;
import io.beacon.support.TestInstances;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Snapshot frames shared by subscribers: one build per service index (and per all-services position) within
 * a period of {@link Snapshots#HEARTBEAT_LAG}; a change builds again at once; renewals, which move no index,
 * show in the next period's frame, so {@code lastHeartbeat} lags by at most that period.
 */
class SnapshotsTest {

    private static final ServiceName ORDERS = ServiceName.of("orders");

    private final MutableClock clock = new MutableClock();
    private final InMemoryRegistry registry = new InMemoryRegistry();
    private final Snapshots snapshots = new Snapshots(registry, JsonMapper.shared(), clock);

    private static String text(Snapshots.Frame frame) {
        return new String(frame.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aServiceFrameIsSharedUntilAChangeOrTheNextPeriod() {
        Instant start = clock.instant();
        registry.register(TestInstances.instance("orders", "a", start), start);
        Snapshots.Frame first = snapshots.service(ORDERS);
        assertThat(snapshots.service(ORDERS)).isSameAs(first);
        assertThat(snapshots.service(ORDERS)).isSameAs(first);
        assertThat(snapshots.builds(ORDERS)).isEqualTo(1);

        // a change: built again at once
        registry.register(TestInstances.instance("orders", "b", start), start);
        Snapshots.Frame second = snapshots.service(ORDERS);
        assertThat(second).isNotSameAs(first);
        assertThat(text(second)).contains("\"id\":\"b\"");
        assertThat(second.index()).isGreaterThan(first.index());

        // a renewal moves no index: the frame is kept within the period, built again in the next one
        clock.advance(Duration.ofSeconds(3));
        Instant renewed = clock.instant();
        registry.heartbeat(InstanceKey.of("orders", "a"), renewed, OptionalInt.empty());
        assertThat(snapshots.service(ORDERS)).isSameAs(second);
        clock.advance(Snapshots.HEARTBEAT_LAG);
        Snapshots.Frame third = snapshots.service(ORDERS);
        assertThat(third).isNotSameAs(second);
        assertThat(third.index()).isEqualTo(second.index());
        assertThat(text(third)).contains(renewed.toString());
        assertThat(snapshots.builds(ORDERS)).isEqualTo(3);
    }

    @Test
    void theAllServicesFrameFollowsRenewalsWithinAPeriod() {
        Instant start = clock.instant();
        registry.register(TestInstances.instance("orders", "a", start), start);
        Snapshots.Global first = snapshots.all(1);
        assertThat(snapshots.all(1)).isSameAs(first);
        assertThat(snapshots.builds()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        Instant renewed = clock.instant();
        registry.heartbeat(InstanceKey.of("orders", "a"), renewed, OptionalInt.empty());
        assertThat(snapshots.all(1)).isSameAs(first);
        clock.advance(Snapshots.HEARTBEAT_LAG);
        Snapshots.Global later = snapshots.all(1);
        assertThat(later).isNotSameAs(first);
        assertThat(new String(later.bytes(), StandardCharsets.UTF_8)).contains(renewed.toString());
        assertThat(snapshots.builds()).isEqualTo(2);
    }
}
