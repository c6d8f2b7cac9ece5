package io.beacon.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.beacon.BeaconApplication;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;

class ConfiguredTokensTest {

    private static SecurityProperties enforced(Map<String, SecurityProperties.Token> tokens) {
        return new SecurityProperties(SecurityProperties.Mode.ENFORCED, tokens);
    }

    @Test
    void keepsOnlyTheHashOfASecret() {
        List<StoredToken> tokens = ConfiguredTokens.read(enforced(Map.of("root",
                new SecurityProperties.Token("a-long-enough-secret", null, List.of("admin")))), Instant.EPOCH);
        assertThat(tokens).singleElement().satisfies(t -> {
            assertThat(t.sha256()).isEqualTo(TokenHashes.sha256("a-long-enough-secret")).hasSize(64);
            assertThat(t.toString()).doesNotContain("a-long-enough-secret");
        });
        assertThat(new SecurityProperties.Token("a-long-enough-secret", null, List.of()).toString())
                .doesNotContain("a-long-enough-secret");
    }

    @Test
    void mistakesNameTheProperty() {
        assertThatThrownBy(() -> ConfiguredTokens.read(enforced(Map.of("root",
                new SecurityProperties.Token("short", null, List.of("admin")))), Instant.EPOCH))
                .hasMessageContaining("beacon.security.tokens.root.secret: at least 16");
        assertThatThrownBy(() -> ConfiguredTokens.read(enforced(Map.of("root",
                new SecurityProperties.Token("a-long-enough-secret", "ab", List.of("admin")))), Instant.EPOCH))
                .hasMessageContaining("exactly one of 'secret' and 'secret-sha256'");
        assertThatThrownBy(() -> ConfiguredTokens.read(enforced(Map.of("root",
                new SecurityProperties.Token(null, "xyz", List.of("admin")))), Instant.EPOCH))
                .hasMessageContaining("secret-sha256: 64 hex");
        assertThatThrownBy(() -> ConfiguredTokens.read(enforced(Map.of("root",
                new SecurityProperties.Token("a-long-enough-secret", null, List.of("root")))), Instant.EPOCH))
                .hasMessageContaining("beacon.security.tokens.root.scopes: 'root' is not a scope");
    }

    @Test
    void enforcedModeWithoutAnAdminTokenDoesNotStartAndSaysHowToGiveOne() {
        assertThatThrownBy(() -> ConfiguredTokens.read(enforced(Map.of("ci",
                new SecurityProperties.Token("a-long-enough-secret", null, List.of("read")))), Instant.EPOCH))
                .isInstanceOf(MissingAdminTokenException.class);
        assertThat(ConfiguredTokens.read(new SecurityProperties(SecurityProperties.Mode.OPEN, Map.of()),
                Instant.EPOCH)).isEmpty();
        // a client certificate mapped to admin is a way in too (CertificateAdminTest starts Beacon with one)
        assertThat(ConfiguredTokens.read(enforced(Map.of("ci",
                new SecurityProperties.Token("a-long-enough-secret", null, List.of("read")))), Instant.EPOCH, true))
                .extracting(StoredToken::id).containsExactly("ci");

        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> new SpringApplicationBuilder(
                BeaconApplication.class).run("--server.port=0", "--server.address=127.0.0.1",
                "--beacon.security.mode=enforced").close());
        Throwable cause = failure;
        while (cause != null && !(cause instanceof MissingAdminTokenException)) {
            cause = cause.getCause();
        }
        assertThat(cause).isInstanceOf(MissingAdminTokenException.class);
        FailureAnalysis analysis = new MissingAdminTokenFailureAnalyzer().analyze(failure);
        assertThat(analysis.getAction()).contains("BEACON_SECURITY_TOKENS_ADMIN_SECRET", "beacon.security.mode=open");
    }
}
