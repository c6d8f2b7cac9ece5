package io.beacon.security.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Key material generated at test run time with the JDK's {@code keytool}: a self-signed server certificate
 * for {@code localhost} / {@code 127.0.0.1} (as a PKCS12 keystore and as the PEM pair a Kubernetes TLS
 * Secret holds), and self-signed client certificates whose subjects the tests choose.
 */
final class TestCertificates {

    static final String PASSWORD = "test-only-password";

    final Path dir;

    TestCertificates() {
        try {
            dir = Files.createTempDirectory("beacon-tls");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dir.toFile().deleteOnExit();
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-keystore", server().toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", server().toString(), "-storepass", PASSWORD,
                "-file", serverCertificate().toString());
        keytool("-importcert", "-noprompt", "-alias", "server", "-file", serverCertificate().toString(),
                "-keystore", dir.resolve("client-trust.p12").toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        writePrivateKeyPem(server(), "server", dir.resolve("server.key"));
    }

    /** The server's PKCS12 keystore (alias {@code server}). */
    Path server() {
        return dir.resolve("server.p12");
    }

    /** The server certificate in PEM (a TLS Secret's {@code tls.crt}). */
    Path serverCertificate() {
        return dir.resolve("server.crt");
    }

    /** The server's private key in PKCS#8 PEM (a TLS Secret's {@code tls.key}). */
    Path serverKey() {
        return dir.resolve("server.key");
    }

    /**
     * A client key pair with the given subject, in {@code <name>.p12}; its certificate in {@code <name>.crt}.
     * Returns the keystore.
     */
    Path client(String name, String subject) {
        Path store = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", subject,
                "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", name, "-keystore", store.toString(), "-storepass", PASSWORD,
                "-file", dir.resolve(name + ".crt").toString());
        return store;
    }

    /** A PKCS12 trust store with the certificates of the named clients (password {@link #PASSWORD}). */
    Path clientTrustStore(String... names) {
        Path store = dir.resolve("client-trust-store.p12");
        for (String name : names) {
            keytool("-importcert", "-noprompt", "-alias", name, "-file", dir.resolve(name + ".crt").toString(),
                    "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        }
        return store;
    }

    /** An SSL context that trusts only the generated server certificate, presenting no client certificate. */
    SSLContext trustingServer() {
        return context(null);
    }

    /** An SSL context that trusts the server and presents the client certificate in {@code clientStore}. */
    SSLContext trustingServer(Path clientStore) {
        return context(clientStore);
    }

    private SSLContext context(Path clientStore) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(dir.resolve("client-trust.p12")));
            KeyManagerFactory keys = null;
            if (clientStore != null) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(load(clientStore), PASSWORD.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore load(Path path) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static void writePrivateKeyPem(Path store, String alias, Path out) {
        try {
            PrivateKey key = (PrivateKey) load(store).getKey(alias, PASSWORD.toCharArray());
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
            Files.writeString(out, "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
