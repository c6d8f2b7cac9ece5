package io.beacon.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.beacon.support.TestClockConfiguration;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * HTTPS through a Spring Boot SSL bundle, in the PEM form a Kubernetes TLS Secret mounts ({@code tls.crt},
 * {@code tls.key}): a real handshake from {@link HttpClient} trusting the generated self-signed certificate.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestClockConfiguration.class)
class TlsIT {

    static final TestCertificates certificates = new TestCertificates();

    @DynamicPropertySource
    static void tls(DynamicPropertyRegistry registry) {
        registry.add("spring.ssl.bundle.pem.beacon.keystore.certificate", () -> "file:" + certificates.serverCertificate());
        registry.add("spring.ssl.bundle.pem.beacon.keystore.private-key", () -> "file:" + certificates.serverKey());
        registry.add("server.ssl.bundle", () -> "beacon");
        registry.add("server.address", () -> "127.0.0.1");
    }

    @LocalServerPort
    int port;

    @Test
    void aClientTrustingTheCertificateRegistersAndDiscoversOverHttps() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(certificates.trustingServer())
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/register"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"orders\",\"address\":\"10.0.0.5\",\"port\":8080}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);

        HttpResponse<String> found = client.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + port + "/discover?name=orders")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(found.body()).contains("\"address\":\"10.0.0.5\"");
        SSLSession session = found.sslSession().orElseThrow();
        assertThat(session.getProtocol()).isIn("TLSv1.3", "TLSv1.2");
        assertThat(session.getPeerPrincipal().getName()).isEqualTo("CN=localhost");
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefusedAtTheHandshake() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/services"))
                .build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void plainHttpOnTheTlsPortGetsNoBeaconAnswer() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> plain = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/services"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            // Tomcat answers a plain request on a TLS port with 400 and no Beacon content
            assertThat(plain.statusCode()).isEqualTo(400);
            assertThat(plain.body()).doesNotContain("orders");
        } catch (IOException refused) {
            assertThat(refused).isNotInstanceOf(SSLHandshakeException.class);
        }
    }
}
