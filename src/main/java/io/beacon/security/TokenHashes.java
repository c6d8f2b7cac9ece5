package io.beacon.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Secrets are random (32 bytes from {@link SecureRandom}, base64url) and kept only as their SHA-256: a fast
 * hash is right for high-entropy tokens, a per-request bcrypt would cost more than the request.
 */
final class TokenHashes {

    private static final HexFormat HEX = HexFormat.of();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private TokenHashes() {
    }

    /** The SHA-256 of the secret's UTF-8 bytes, as 64 lower-case hex characters. */
    static String sha256(String secret) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        return HEX.formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether {@code text} is a SHA-256 written as 64 hex characters. */
    static boolean isSha256(String text) {
        return text != null && text.length() == 64 && text.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    /** Constant-time comparison of two hashes in hex. */
    static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    /** A new secret: 32 random bytes, base64url without padding (43 characters). */
    static String newSecret(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
