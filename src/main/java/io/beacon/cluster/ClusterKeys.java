package io.beacon.cluster;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two keys derived from the shared cluster secret: an AES-256 key that encrypts replication traffic
 * and an HMAC-SHA256 key that members use to prove, when they join or merge, that they know the secret.
 * PBKDF2 (HMAC-SHA256, salted with the cluster name) makes guessing a short secret expensive; the two keys
 * are separate halves of its output, so neither reveals the other.
 */
record ClusterKeys(SecretKey encryption, SecretKey authentication) {

    static final int ITERATIONS = 210_000;

    static ClusterKeys derive(String secret, String clusterName) {
        char[] chars = secret.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, ("beacon-cluster/" + clusterName).getBytes(StandardCharsets.UTF_8),
                ITERATIONS, 512);
        try {
            byte[] bytes = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            try {
                return new ClusterKeys(new SecretKeySpec(bytes, 0, 32, "AES"), new SecretKeySpec(bytes, 32, 32, "HmacSHA256"));
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM cannot derive the cluster keys (PBKDF2WithHmacSHA256)", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }

    @Override
    public String toString() {
        return "ClusterKeys[******]";
    }
}
