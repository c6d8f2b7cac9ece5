package io.beacon.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.beacon.BeaconApplication;
import io.beacon.security.Scope;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The start-up check that enforced mode has an administrator counts client certificates mapped to
 * {@code admin}, but only when the server asks for client certificates at all.
 */
class CertificateAdminTest {

    private static CertificateProperties mapped(String... scopes) {
        return new CertificateProperties(Map.of("ops", new CertificateProperties.Certificate("CN=ops,O=Beacon Test",
                List.of(scopes))));
    }

    @Test
    void aCertificateMappedToAdminGrantsAdminOnlyWhenCertificatesAreAskedFor() {
        assertThat(new CertificateAuthenticator(mapped("admin"), true).mayGrant(Scope.ADMIN)).isTrue();
        assertThat(new CertificateAuthenticator(mapped("admin"), false).mayGrant(Scope.ADMIN)).isFalse();
        assertThat(new CertificateAuthenticator(mapped("read", "operate:*"), true).mayGrant(Scope.ADMIN)).isFalse();
        assertThat(new CertificateAuthenticator(mapped("read"), true).mayGrant(Scope.READ)).isTrue();
    }

    @Test
    void enforcedModeStartsWithAnAdminCertificateAndNoAdminToken() {
        TestCertificates certificates = new TestCertificates();
        certificates.client("ops", "CN=ops,O=Beacon Test");
        Path trust = certificates.clientTrustStore("ops");
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--beacon.security.mode=enforced",
                "--beacon.security.tokens.reader.secret=reader-token-for-tests-0123456789",
                "--beacon.security.tokens.reader.scopes=read",
                "--beacon.security.certificates.ops.subject=CN=ops,O=Beacon Test",
                "--beacon.security.certificates.ops.scopes=admin",
                "--spring.ssl.bundle.jks.beacon.keystore.location=file:" + certificates.server(),
                "--spring.ssl.bundle.jks.beacon.keystore.password=" + TestCertificates.PASSWORD,
                "--spring.ssl.bundle.jks.beacon.keystore.type=PKCS12",
                "--spring.ssl.bundle.jks.beacon.truststore.location=file:" + trust,
                "--spring.ssl.bundle.jks.beacon.truststore.password=" + TestCertificates.PASSWORD,
                "--spring.ssl.bundle.jks.beacon.truststore.type=PKCS12",
                "--server.ssl.bundle=beacon"));

        List<String> want = new ArrayList<>(args);
        want.add("--server.ssl.client-auth=want");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(BeaconApplication.class)
                .run(want.toArray(String[]::new))) {
            assertThat(context.isRunning()).isTrue();
        }

        List<String> none = new ArrayList<>(args);
        none.add("--server.ssl.client-auth=none"); // the mapping can never match: no way in for an administrator
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(BeaconApplication.class)
                .run(none.toArray(String[]::new)).close());
        Throwable cause = failure;
        while (cause != null && !cause.getClass().getSimpleName().equals("MissingAdminTokenException")) {
            cause = cause.getCause();
        }
        assertThat(cause).as("start-up failure %s", failure).isNotNull();
        assertThat(cause.getMessage()).contains("beacon.security.certificates", "'admin'");
    }
}
