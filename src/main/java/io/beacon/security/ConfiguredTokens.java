package io.beacon.security;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads {@code beacon.security.tokens}: each token's secret is hashed at once (the secret is not kept), its
 * scopes parsed; any mistake stops start-up naming the property. In enforced mode at least one token must
 * have {@code admin}, or another way in must grant it (a client certificate mapped to {@code admin}), or
 * Beacon would start with no way to manage it.
 */
final class ConfiguredTokens {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final int MIN_SECRET_LENGTH = 16;

    private ConfiguredTokens() {
    }

    static List<StoredToken> read(SecurityProperties properties, Instant now) {
        return read(properties, now, false);
    }

    /**
     * @param adminElsewhere whether something other than a token grants {@code admin} (a mapped client
     *     certificate); then no admin token is needed
     * @throws MissingAdminTokenException in enforced mode when neither a token nor anything else grants admin
     */
    static List<StoredToken> read(SecurityProperties properties, Instant now, boolean adminElsewhere) {
        List<StoredToken> tokens = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        properties.tokens().forEach((id, token) -> {
            String where = "beacon.security.tokens." + id;
            if (!ID.matcher(id).matches()) {
                throw new IllegalStateException(where + ": a token id uses letters, digits, '.', '_' and '-' "
                        + "(at most 64)");
            }
            boolean plain = token.secret() != null && !token.secret().isEmpty();
            boolean hashed = token.secretSha256() != null && !token.secretSha256().isEmpty();
            if (plain == hashed) {
                throw new IllegalStateException(where + ": give exactly one of 'secret' and 'secret-sha256'");
            }
            if (plain && token.secret().length() < MIN_SECRET_LENGTH) {
                throw new IllegalStateException(where + ".secret: at least " + MIN_SECRET_LENGTH + " characters; "
                        + "generate one with: openssl rand -base64 32");
            }
            if (hashed && !TokenHashes.isSha256(token.secretSha256())) {
                throw new IllegalStateException(where + ".secret-sha256: 64 hex characters (the SHA-256 of the "
                        + "secret, e.g. printf %s \"$TOKEN\" | sha256sum)");
            }
            if (token.scopes().isEmpty()) {
                throw new IllegalStateException(where + ".scopes: give at least one of read, "
                        + "register:<service-pattern>, operate:<service-pattern>, admin");
            }
            for (String scope : token.scopes()) {
                try {
                    Grant.parse(scope);
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(where + ".scopes: " + e.getMessage());
                }
            }
            String hash = plain ? TokenHashes.sha256(token.secret()) : token.secretSha256().toLowerCase();
            String other = seen.putIfAbsent(hash, id);
            if (other != null) {
                throw new IllegalStateException(where + ": the same secret as token '" + other + "'");
            }
            tokens.add(new StoredToken(id, token.scopes(), hash, StoredToken.Origin.CONFIGURATION, now, null));
        });
        if (properties.mode() == SecurityProperties.Mode.ENFORCED && !adminElsewhere
                && tokens.stream().noneMatch(t -> t.principal().allowsSome(Scope.ADMIN))) {
            throw new MissingAdminTokenException();
        }
        return tokens;
    }
}
