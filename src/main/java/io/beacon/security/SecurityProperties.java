package io.beacon.security;

import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Access control under {@code beacon.security.*}.
 *
 * @param mode {@code open}: every request is allowed, no token is read (for local use; a WARN at start-up
 *     says so); {@code enforced}: every request but the health probes and the API documents needs a token
 *     with the scope for what it does
 * @param tokens tokens from configuration, by id (the id is shown in 403 answers, audit lines and the token
 *     API; a secret never is)
 */
@ConfigurationProperties("beacon.security")
@Validated
public record SecurityProperties(
        @NotNull @DefaultValue("open") Mode mode,
        Map<String, Token> tokens) {

    public SecurityProperties {
        tokens = tokens == null ? Map.of() : Map.copyOf(tokens);
    }

    /** Whether requests are checked. */
    public enum Mode { OPEN, ENFORCED }

    /**
     * One configured token. Give exactly one of {@code secret} and {@code secret-sha256}; Beacon keeps only the
     * SHA-256 of a secret.
     *
     * @param secret the token itself, e.g. {@code ${ORDERS_TOKEN}} (at least 16 characters)
     * @param secretSha256 the token's SHA-256 as 64 hex characters, when the secret should not be in the
     *     configuration at all ({@code printf %s "$TOKEN" | sha256sum})
     * @param scopes what the token may do: {@code read}, {@code register:<service-pattern>},
     *     {@code operate:<service-pattern>}, {@code admin}
     */
    public record Token(String secret, String secretSha256, List<String> scopes) {

        public Token {
            scopes = scopes == null ? List.of() : List.copyOf(scopes);
        }

        @Override
        public String toString() {
            return "Token[scopes=" + scopes + "]";
        }
    }
}
