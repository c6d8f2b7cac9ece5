package io.beacon.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.beacon.support.TestClockConfiguration;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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

    @Test
    void watchersAreHeldLeanOverHttpsAndAnsweredWhole() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(certificates.trustingServer()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        long index = register(client, "a");
        CompletableFuture<HttpResponse<String>> poll = client.sendAsync(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + port + "/discover?name=tls-watch&index=" + index + "&wait=30s"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<Stream<String>> stream = client.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + port + "/watch?name=tls-watch")).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type")).hasValue("text/event-stream;charset=UTF-8");
        await().atMost(Duration.ofSeconds(10)).until(() -> lean(client) == 2.0);

        long next = register(client, "b");
        HttpResponse<String> woken = poll.get(10, TimeUnit.SECONDS);
        assertThat(woken.statusCode()).isEqualTo(200);
        assertThat(woken.headers().firstValue("X-Beacon-Index")).hasValue(Long.toString(next));
        assertThat(woken.body()).contains("\"id\":\"b\"");
        try (Stream<String> lines = stream.body()) {
            assertThat(lines.filter(l -> l.startsWith("event: ")).limit(2)).containsExactly("event: snapshot",
                    "event: registered");
        }
    }

    private long register(HttpClient client, String id) throws Exception {
        HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/register"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"tls-watch\",\"address\":\"10.0.0.5\",\"port\":8080,\"id\":\"" + id + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isBetween(200, 201);
        return Long.parseLong(created.headers().firstValue("X-Beacon-Index").orElseThrow());
    }

    private double lean(HttpClient client) throws Exception {
        String scrape = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/actuator/prometheus"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        return scrape.lines().filter(l -> l.startsWith("beacon_watchers_lean ")).mapToDouble(l -> Double.parseDouble(
                l.substring("beacon_watchers_lean ".length()))).findFirst().orElse(0);
    }
}
