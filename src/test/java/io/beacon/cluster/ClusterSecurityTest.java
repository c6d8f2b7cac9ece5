package io.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The cluster secret: where it goes in the stack, what it derives, and when a cluster without one may start. */
class ClusterSecurityTest {

    static ClusterProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("beacon.cluster", ClusterProperties.class);
    }

    static final String SECRET = "a-shared-secret-for-tests";

    @Test
    void withASecretTheStackEncryptsBelowNakack2AndAuthenticatesBelowGmsWithoutNamingTheSecret() {
        ClusterProperties p = bind(Map.of("beacon.cluster.enabled", "true", "beacon.cluster.security.secret", SECRET));
        assertThat(p.security().enabled()).isTrue();
        String xml = JGroupsStack.xml(p);
        assertThat(xml).containsSubsequence("<SYM_ENCRYPT sym_algorithm=\"AES/CBC/PKCS5Padding\"", "<pbcast.NAKACK2",
                "<pbcast.STABLE", "<AUTH/>", "<pbcast.GMS");
        assertThat(xml).doesNotContain(SECRET);
        assertThat(p.toString()).doesNotContain(SECRET);
        assertThat(JGroupsStack.configurator(p).getProtocolStack()).extracting(c -> c.getProtocolName())
                .contains("SYM_ENCRYPT", "AUTH");

        String plain = JGroupsStack.xml(bind(Map.of("beacon.cluster.enabled", "true")));
        assertThat(plain).doesNotContain("SYM_ENCRYPT").doesNotContain("AUTH");
    }

    @Test
    void keysAreDerivedFromTheSecretAndTheClusterNameAndDifferFromEachOther() {
        ClusterKeys a = ClusterKeys.derive(SECRET, "beacon");
        ClusterKeys again = ClusterKeys.derive(SECRET, "beacon");
        assertThat(a.encryption().getEncoded()).hasSize(32).isEqualTo(again.encryption().getEncoded());
        assertThat(a.authentication().getEncoded()).hasSize(32).isNotEqualTo(a.encryption().getEncoded());
        assertThat(ClusterKeys.derive(SECRET, "other").encryption().getEncoded()).isNotEqualTo(a.encryption().getEncoded());
        assertThat(ClusterKeys.derive(SECRET + "x", "beacon").encryption().getEncoded())
                .isNotEqualTo(a.encryption().getEncoded());
        assertThat(a.toString()).doesNotContain(SECRET);
    }

    @Test
    void enforcedModeRefusesAClusterWithoutASecretAndOpenModeAllowsIt() {
        ClusterProperties none = bind(Map.of("beacon.cluster.enabled", "true"));
        assertThatThrownBy(() -> ClusterSecurityCheck.check(none, "enforced"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("beacon.cluster.security.secret")
                .hasMessageContaining("BEACON_CLUSTER_SECURITY_SECRET");
        ClusterSecurityCheck.check(none, "open");
        ClusterSecurityCheck.check(bind(Map.of("beacon.cluster.security.secret", SECRET)), "enforced");
    }

    @Test
    void aShortSecretIsRefusedByValidation() {
        var validator = jakarta.validation.Validation.buildDefaultValidatorFactory().getValidator();
        ClusterProperties p = bind(Map.of("beacon.cluster.security.secret", "short"));
        assertThat(validator.validate(p)).extracting(v -> v.getPropertyPath().toString() + " " + v.getMessage())
                .containsExactly("security.secret must be at least 16 characters");
    }
}
