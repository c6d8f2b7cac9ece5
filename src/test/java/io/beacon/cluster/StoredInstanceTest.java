package io.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.beacon.registry.CheckSpec;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceState;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Lease;
import io.beacon.registry.ServiceName;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.infinispan.protostream.ProtobufUtil;
import org.infinispan.protostream.SerializationContext;
import org.junit.jupiter.api.Test;

/** The replicated form survives a ProtoStream round trip exactly; the JGroups stack never multicasts. */
class StoredInstanceTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00.123456789Z");

    private static SerializationContext context() {
        SerializationContext ctx = ProtobufUtil.newSerializationContext();
        new ClusterSchemaImpl().register(ctx);
        return ctx;
    }

    private static StoredInstance roundTrip(StoredInstance value) throws Exception {
        SerializationContext ctx = context();
        return (StoredInstance) ProtobufUtil.fromWrappedByteArray(ctx, ProtobufUtil.toWrappedByteArray(ctx, value));
    }

    @Test
    void aFullInstanceRoundTripsExactly() throws Exception {
        // every field set to a value no default has, so the canonical constructor on purpose
        InstanceState state = InstanceState.initial(InstanceStatus.UP, T0).withOverride(InstanceStatus.OUT_OF_SERVICE, T0)
                .withCheckPassing(Boolean.FALSE, T0.plusSeconds(1)).withEjected(true, T0.plusSeconds(2));
        Instance full = new Instance(ServiceName.of("Orders"), "o-1", "10.0.0.1", 8080, Map.of("a", "1", "b", "2"),
                List.of("blue", "canary"), "z1", "1.2.3", 250, new Lease(T0, T0.plusMillis(1500),
                        Duration.ofSeconds(30), Duration.ofSeconds(90)), state, 7,
                new CheckSpec(CheckSpec.Type.HTTP, "http://10.0.0.1:8080/health", Duration.ofSeconds(10),
                        Duration.ofSeconds(2), 3, 1), Map.of("eureka.homePageUrl", "http://x"), T0.plusSeconds(3));

        StoredInstance back = roundTrip(StoredInstance.of(full, 42));

        assertThat(back.toInstance()).isEqualTo(full);
        assertThat(back.revision()).isEqualTo(42);
        assertThat(back.isTombstone()).isFalse();
        assertThat(back).isEqualTo(StoredInstance.of(full, 42));
    }

    @Test
    void absentOptionalFieldsStayAbsentAndTombstonesKeepTheirReason() throws Exception {
        Instance minimal = Instance.builder(ServiceName.of("svc"), "i", "h", 1).reported(InstanceStatus.STARTING)
                .lease(Duration.ofSeconds(30), Duration.ofSeconds(90)).build(T0);

        StoredInstance back = roundTrip(StoredInstance.of(minimal, 1));
        assertThat(back.toInstance()).isEqualTo(minimal);
        assertThat(back.toInstance().check()).isNull();
        assertThat(back.toInstance().state().checkPassing()).isNull();
        assertThat(back.toInstance().state().override()).isNull();

        StoredInstance tomb = roundTrip(StoredInstance.of(minimal, 1).tombstone("EVICTED"));
        assertThat(tomb.removal()).isEqualTo("EVICTED");
        assertThat(tomb.revision()).isEqualTo(2);
    }

    @Test
    void theStackUsesTcppingAndBindsTransportAndFailureDetectionToTheConfiguredAddress() {
        ClusterProperties p = new ClusterProperties(true, "beacon", "n1", "10.9.8.7", 7800, 50000,
                ClusterProperties.Discovery.STATIC, List.of("10.9.8.7[7800]", "10.9.8.6[7800]"), null,
                Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofMinutes(4), Duration.ofSeconds(60), 256);
        String xml = JGroupsStack.xml(p);
        assertThat(xml).contains("<TCP bind_addr=\"10.9.8.7\" bind_port=\"7800\"")
                .contains("<FD_SOCK2 bind_addr=\"10.9.8.7\" offset=\"50000\"")
                .contains("initial_hosts=\"10.9.8.7[7800],10.9.8.6[7800]\"")
                .doesNotContain("UDP").doesNotContain("MPING").doesNotContain("mcast_addr");
        assertThat(System.getProperty("java.net.preferIPv4Stack")).isEqualTo("true");
    }

    @Test
    void dnsDiscoveryNeedsAQueryAndMembersMustBeHostAndPort() {
        assertThatThrownBy(() -> new ClusterProperties(true, "beacon", null, "0.0.0.0", 7800, 50000,
                ClusterProperties.Discovery.DNS, List.of(), " ", Duration.ofSeconds(2), Duration.ofSeconds(10),
                Duration.ofMinutes(4), Duration.ofSeconds(60), 256)).hasMessageContaining("beacon.cluster.dns-query");
        ClusterProperties dns = new ClusterProperties(true, "beacon", null, "10.0.0.5", 7800, 50000,
                ClusterProperties.Discovery.DNS, List.of(), "beacon-cluster.ns.svc.cluster.local",
                Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofMinutes(4), Duration.ofSeconds(60), 256);
        assertThat(JGroupsStack.xml(dns)).contains("<dns.DNS_PING dns_query=\"beacon-cluster.ns.svc.cluster.local\"");
        ClusterProperties bad = new ClusterProperties(true, "beacon", null, "127.0.0.1", 7800, 50000,
                ClusterProperties.Discovery.STATIC, List.of("127.0.0.1:7800"), null, Duration.ofSeconds(2),
                Duration.ofSeconds(10), Duration.ofMinutes(4), Duration.ofSeconds(60), 256);
        assertThatThrownBy(() -> JGroupsStack.xml(bad)).hasMessageContaining("host[port]");
    }
}
