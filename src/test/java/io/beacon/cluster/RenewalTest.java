package io.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.Instance;
import io.beacon.registry.InstanceState;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.ServiceName;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import org.infinispan.protostream.ProtobufUtil;
import org.infinispan.protostream.SerializationContext;
import org.junit.jupiter.api.Test;

/** A replicated heartbeat renews exactly like a local one, merges within a batch, and travels as ProtoStream. */
class RenewalTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private static Instance instance(boolean stale) {
        InstanceState state = InstanceState.initial(InstanceStatus.UP, T0).withStale(stale, T0.plusSeconds(31));
        return Instance.builder(ServiceName.of("orders"), "o-1", "10.0.0.1", 8080)
                .lease(Duration.ofSeconds(30), Duration.ofSeconds(90)).build(T0).withState(state).withInflight(3);
    }

    @Test
    void appliesTheSameRenewalAsTheInMemoryRegistry() {
        Instant beat = T0.plusSeconds(40);
        StoredInstance stored = StoredInstance.of(instance(true), 7);

        StoredInstance renewed = Renewal.of(beat, OptionalInt.of(12)).applyTo(stored);

        assertThat(renewed.revision()).isEqualTo(8);
        assertThat(renewed.toInstance()).isEqualTo(instance(true).renewed(beat, OptionalInt.of(12)));
        assertThat(renewed.toInstance().lease().lastRenewedAt()).isEqualTo(beat);
        assertThat(renewed.toInstance().state().stale()).isFalse();
        assertThat(renewed.toInstance().status()).isEqualTo(InstanceStatus.UP);
        assertThat(renewed.toInstance().inflight()).isEqualTo(12);
    }

    @Test
    void aRenewalAppliedTwiceIsAppliedOnceAndNeverMovesTheLeaseBack() {
        Renewal beat = Renewal.of(T0.plusSeconds(40), OptionalInt.of(12));
        StoredInstance once = beat.applyTo(StoredInstance.of(instance(true), 7));
        StoredInstance twice = beat.applyTo(once);
        assertThat(twice).isSameAs(once);
        assertThat(twice.revision()).isEqualTo(8);

        StoredInstance older = Renewal.of(T0.plusSeconds(20), OptionalInt.of(1)).applyTo(once);
        assertThat(older).isSameAs(once);
        assertThat(older.toInstance().lease().lastRenewedAt()).isEqualTo(T0.plusSeconds(40));
    }

    @Test
    void withoutAReportedLoadTheInflightCountIsKept() {
        StoredInstance renewed = Renewal.of(T0.plusSeconds(5), OptionalInt.empty())
                .applyTo(StoredInstance.of(instance(false), 1));
        assertThat(renewed.toInstance().inflight()).isEqualTo(3);
        assertThat(renewed.toInstance().state()).isEqualTo(instance(false).state());
    }

    @Test
    void aLiveInstanceRenewedFieldByFieldIsTheStoredFormOfTheInMemoryRenewal() {
        Instance live = Instance.builder(ServiceName.of("orders"), "o-2", "10.0.0.2", 8081)
                .metadata(java.util.Map.of("zone", "z1", "build", "42")).tags(java.util.List.of("blue", "canary"))
                .lease(Duration.ofSeconds(30), Duration.ofSeconds(90)).build(T0).withInflight(3);
        StoredInstance stored = StoredInstance.of(live, 7, 1_893_456_000_000_000L);
        Instant beat = T0.plusSeconds(12).plusNanos(345);

        for (OptionalInt load : new OptionalInt[] {OptionalInt.of(9), OptionalInt.empty()}) {
            StoredInstance renewed = Renewal.of(beat, load, 1_893_456_999_000_000L).applyTo(stored);
            assertThat(renewed).isEqualTo(StoredInstance.of(live.renewed(beat, load), 8, stored.index()));
            assertThat(renewed.toInstance()).isEqualTo(live.renewed(beat, load));
        }
    }

    @Test
    void twoHeartbeatsOfOneKeyInABatchKeepTheLaterTimeAndTheLatestLoad() {
        Renewal first = new Renewal(100, 5, 0);
        assertThat(first.merge(new Renewal(200, -1, 0))).isEqualTo(new Renewal(200, 5, 0));
        assertThat(first.merge(new Renewal(200, 9, 0))).isEqualTo(new Renewal(200, 9, 0));
        assertThat(new Renewal(300, 1, 0).merge(new Renewal(200, -1, 0))).isEqualTo(new Renewal(300, 1, 0));
    }

    @Test
    void renewalsAndTheirResultsTravelAsProtoStream() throws Exception {
        SerializationContext ctx = ProtobufUtil.newSerializationContext();
        new ClusterSchemaImpl().register(ctx);
        Renewal renewal = new Renewal(123_456_789L, -1, 1_893_456_071_000_040L);
        assertThat((Object) ProtobufUtil.fromWrappedByteArray(ctx, ProtobufUtil.toWrappedByteArray(ctx, renewal)))
                .isEqualTo(renewal);
        Renewal.Renewed result = new Renewal.Renewed("orders/o-1", StoredInstance.of(instance(false), 4));
        assertThat((Object) ProtobufUtil.fromWrappedByteArray(ctx, ProtobufUtil.toWrappedByteArray(ctx, result)))
                .isEqualTo(result);
        Renewal.Renewed missing = new Renewal.Renewed("orders/gone", null);
        assertThat((Object) ProtobufUtil.fromWrappedByteArray(ctx, ProtobufUtil.toWrappedByteArray(ctx, missing)))
                .isEqualTo(missing);
        assertThat((Object) ProtobufUtil.fromWrappedByteArray(ctx, ProtobufUtil.toWrappedByteArray(ctx, Renewal.Apply.INSTANCE)))
                .isSameAs(Renewal.Apply.INSTANCE);
    }
}
