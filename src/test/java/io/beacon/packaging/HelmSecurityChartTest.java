package io.beacon.packaging;

import static io.beacon.packaging.HelmChartTest.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.beacon.packaging.HelmChartTest.Rendered;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart's cluster secret and TLS options, rendered by real Helm. */
class HelmSecurityChartTest {

    static final String RELEASE = HelmChartTest.RELEASE;

    static Map<String, Object> envVar(Map<String, Object> container, String name) {
        return HelmChartTest.<List<Map<String, Object>>>at(container, "env").stream()
                .filter(v -> name.equals(v.get("name"))).findFirst().orElse(null);
    }

    @Test
    void clusterMembersReadAGeneratedSharedSecretFromASecret() {
        Rendered cluster = Rendered.of("replicaCount", 3);
        Map<String, Object> secret = cluster.get("Secret", RELEASE + "-cluster-secret");
        String value = new String(Base64.getDecoder().decode((String) at(secret, "data.cluster-secret")),
                StandardCharsets.UTF_8);
        assertThat(value).hasSize(48).matches("[A-Za-z0-9]+");
        assertThat(envVar(cluster.container(), "BEACON_CLUSTER_SECURITY_SECRET")).isEqualTo(Map.of(
                "name", "BEACON_CLUSTER_SECURITY_SECRET", "valueFrom", Map.of("secretKeyRef", Map.of(
                        "name", RELEASE + "-cluster-secret", "key", "cluster-secret"))));
        assertThat(Rendered.of().find("Secret", RELEASE + "-cluster-secret")).as("single node").isNull();
    }

    @Test
    void aGivenOrExistingSecretIsUsedInstead() {
        Rendered given = Rendered.of("replicaCount", 2, "cluster.security.secret", "a-given-secret-of-length");
        assertThat((String) at(given.get("Secret", RELEASE + "-cluster-secret"), "data.cluster-secret"))
                .isEqualTo(Base64.getEncoder().encodeToString("a-given-secret-of-length".getBytes(StandardCharsets.UTF_8)));
        Rendered existing = Rendered.of("replicaCount", 2, "cluster.security.existingSecret", "ops-jgroups",
                "cluster.security.existingSecretKey", "shared");
        assertThat(existing.find("Secret", RELEASE + "-cluster-secret")).isNull();
        assertThat((Object) at(envVar(existing.container(), "BEACON_CLUSTER_SECURITY_SECRET"), "valueFrom.secretKeyRef"))
                .isEqualTo(Map.of("name", "ops-jgroups", "key", "shared"));
        assertThatThrownBy(() -> Rendered.of("replicaCount", 2, "cluster.security.secret", "short"))
                .hasMessageContaining("at least 16 characters");
    }

    @Test
    void tlsMountsTheSecretAsAPemBundleAndProbesUseHttps() {
        Rendered tls = Rendered.of("tls.enabled", true, "tls.secretName", "beacon-tls", "tls.clientAuth", "want");
        Map<String, Object> container = tls.container();
        assertThat(at(envVar(container, "SERVER_SSL_BUNDLE"), "value").toString()).isEqualTo("beacon");
        assertThat(at(envVar(container, "SPRING_SSL_BUNDLE_PEM_BEACON_KEYSTORE_CERTIFICATE"), "value").toString())
                .isEqualTo("file:/etc/beacon/tls/tls.crt");
        assertThat(at(envVar(container, "SPRING_SSL_BUNDLE_PEM_BEACON_KEYSTORE_PRIVATEKEY"), "value").toString())
                .isEqualTo("file:/etc/beacon/tls/tls.key");
        assertThat(at(envVar(container, "SPRING_SSL_BUNDLE_PEM_BEACON_TRUSTSTORE_CERTIFICATE"), "value").toString())
                .isEqualTo("file:/etc/beacon/tls/ca.crt");
        assertThat(at(envVar(container, "SERVER_SSL_CLIENTAUTH"), "value").toString()).isEqualTo("want");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat((Object) at(container, probe + ".httpGet.scheme")).as(probe).isEqualTo("HTTPS");
        }
        assertThat((List<Object>) at(tls.podSpec(), "volumes")).contains(
                Map.of("name", "tls", "secret", Map.of("secretName", "beacon-tls")));
        assertThat((List<Object>) at(container, "volumeMounts")).contains(
                Map.of("name", "tls", "mountPath", "/etc/beacon/tls", "readOnly", true));

        Rendered serverOnly = Rendered.of("tls.enabled", true, "tls.secretName", "beacon-tls");
        assertThat(envVar(serverOnly.container(), "SERVER_SSL_CLIENTAUTH")).isNull();
        assertThat(envVar(serverOnly.container(), "SPRING_SSL_BUNDLE_PEM_BEACON_TRUSTSTORE_CERTIFICATE")).isNull();
        assertThat(envVar(Rendered.of().container(), "SERVER_SSL_BUNDLE")).isNull();
    }

    @Test
    void tlsNeedsASecretNameAndRefusesClientAuthNeed() {
        assertThatThrownBy(() -> Rendered.of("tls.enabled", true)).hasMessageContaining("tls.secretName");
        assertThatThrownBy(() -> Rendered.of("tls.enabled", true, "tls.secretName", "x", "tls.clientAuth", "need"))
                .hasMessageContaining("tls.clientAuth must be none or want");
    }
}
