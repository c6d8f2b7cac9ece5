package io.beacon.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.support.Http;
import io.beacon.support.TestClockConfiguration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * mTLS in enforced mode with real client certificates generated at run time: a mapped subject gets its
 * scopes exactly as a token would (allowed within them, 403 naming the scope outside), a trusted but
 * unmapped subject is allowed nothing (403 naming its subject), no certificate and no token is a 401, and
 * the audit line names the certificate subject.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "beacon.security.mode=enforced",
        "beacon.security.tokens.root.secret=" + MutualTlsIT.ADMIN_TOKEN,
        "beacon.security.tokens.root.scopes=admin",
        "beacon.security.tokens.ci-orders.secret=" + MutualTlsIT.REGISTER_TOKEN,
        "beacon.security.tokens.ci-orders.scopes=register:orders",
        "beacon.security.tokens.ops-orders.secret=" + MutualTlsIT.OPERATE_TOKEN,
        "beacon.security.tokens.ops-orders.scopes=register:orders,operate:orders",
        "beacon.security.certificates.orders-ci.subject=CN=orders-client, O=Beacon Test",
        "beacon.security.certificates.orders-ci.scopes=read,register:orders",
        "beacon.security.certificates.reader.subject=dashboard",
        "beacon.security.certificates.reader.scopes=read",
        "server.ssl.client-auth=want",
        "server.address=127.0.0.1"})
@Import(TestClockConfiguration.class)
@ExtendWith(OutputCaptureExtension.class)
class MutualTlsIT {

    static final String ADMIN_TOKEN = "root-token-for-tests-0123456789";
    static final String REGISTER_TOKEN = "register-orders-token-0123456789";
    static final String OPERATE_TOKEN = "operate-orders-token-0123456789";
    static final TestCertificates certificates = new TestCertificates();
    static final Path orders = certificates.client("orders", "CN=orders-client,O=Beacon Test");
    static final Path dashboard = certificates.client("dashboard", "CN=dashboard,OU=Ops,O=Beacon Test");
    static final Path stranger = certificates.client("stranger", "CN=stranger,O=Elsewhere");

    @DynamicPropertySource
    static void tls(DynamicPropertyRegistry registry) {
        Path trust = certificates.clientTrustStore("orders", "dashboard", "stranger");
        registry.add("spring.ssl.bundle.jks.beacon.keystore.location", () -> "file:" + certificates.server());
        registry.add("spring.ssl.bundle.jks.beacon.keystore.password", () -> TestCertificates.PASSWORD);
        registry.add("spring.ssl.bundle.jks.beacon.keystore.type", () -> "PKCS12");
        registry.add("spring.ssl.bundle.jks.beacon.truststore.location", () -> "file:" + trust);
        registry.add("spring.ssl.bundle.jks.beacon.truststore.password", () -> TestCertificates.PASSWORD);
        registry.add("spring.ssl.bundle.jks.beacon.truststore.type", () -> "PKCS12");
        registry.add("server.ssl.bundle", () -> "beacon");
    }

    @LocalServerPort
    int port;

    HttpResponse<String> send(SSLContext tls, String method, String path, String body, String token) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                .timeout(Duration.ofSeconds(20));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String registration(String service, String id) {
        return "{\"name\":\"" + service + "\",\"id\":\"" + id + "\",\"address\":\"10.0.0.5\",\"port\":8080}";
    }

    @Test
    void aMappedCertificateHasItsScopesAndTheAuditLineNamesItsSubject(CapturedOutput output) throws Exception {
        SSLContext tls = certificates.trustingServer(orders);
        assertThat(send(tls, "POST", "/register", registration("orders", "o-1"), null).statusCode()).isEqualTo(201);
        HttpResponse<String> found = send(tls, "GET", "/discover?name=orders", null, null);
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(found.body()).contains("\"id\":\"o-1\"");

        HttpResponse<String> other = send(tls, "POST", "/register", registration("payments", "p-1"), null);
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode problem = Http.JSON.readTree(other.body());
        assertThat(problem.at("/requiredScope").asString()).isEqualTo("register:payments");
        assertThat(problem.at("/detail").asString()).contains("CN=orders-client,O=Beacon Test");
        assertThat(send(certificates.trustingServer(), "GET", "/discover?name=payments", null, ADMIN_TOKEN).body())
                .contains("\"count\":0");

        // the audit lines are written by their own thread, maybe after the client has read the answers
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output.getOut())
                .containsPattern("\"principal\":\"CN=orders-client,O=Beacon Test\"[^\\n]*\"status\":201")
                .containsPattern("\"principal\":\"CN=orders-client,O=Beacon Test\"[^\\n]*\"status\":403"));
    }

    @Test
    void aSubjectMappedByItsCommonNameAloneGetsItsScopes() throws Exception {
        SSLContext tls = certificates.trustingServer(dashboard);
        assertThat(send(tls, "GET", "/services", null, null).statusCode()).isEqualTo(200);
        HttpResponse<String> write = send(tls, "POST", "/register", registration("orders", "o-9"), null);
        assertThat(write.statusCode()).isEqualTo(403);
        // a principal with no register grant at all is refused before the body is read
        assertThat(Http.JSON.readTree(write.body()).at("/requiredScope").asString()).startsWith("register");
        assertThat(Http.JSON.readTree(write.body()).at("/detail").asString()).contains("CN=dashboard,OU=Ops,O=Beacon Test");
    }

    @Test
    void aTrustedButUnmappedCertificateIsAllowedNothingAndToldWhoItIs() throws Exception {
        SSLContext tls = certificates.trustingServer(stranger);
        HttpResponse<String> read = send(tls, "GET", "/discover?name=orders", null, null);
        assertThat(read.statusCode()).isEqualTo(403);
        assertThat(Http.JSON.readTree(read.body()).at("/detail").asString()).contains("CN=stranger,O=Elsewhere")
                .contains("read");
        HttpResponse<String> write = send(tls, "POST", "/register", registration("orders", "o-6"), null);
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(send(certificates.trustingServer(), "GET", "/discover?name=orders", null, ADMIN_TOKEN).body())
                .doesNotContain("o-6");
        // with a token as well, the token decides
        assertThat(send(tls, "POST", "/register", registration("orders", "o-7"), ADMIN_TOKEN).statusCode()).isEqualTo(201);
    }

    @Test
    void withoutACertificateATokenIsStillNeeded() throws Exception {
        SSLContext tls = certificates.trustingServer();
        HttpResponse<String> none = send(tls, "POST", "/register", registration("orders", "o-8"), null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(Http.JSON.readTree(none.body()).at("/detail").asString()).contains("needs a token");
        assertThat(send(tls, "POST", "/register", registration("orders", "o-8"), ADMIN_TOKEN).statusCode()).isEqualTo(201);
    }

    /**
     * In enforced mode a check may be aimed at another host than the instance's own address only with the
     * operate scope for the service; its results are readable with read only.
     */
    @Test
    void aCheckOfAnotherHostNeedsOperateAndItsResultNeedsRead() throws Exception {
        SSLContext tls = certificates.trustingServer();
        String elsewhere = "{\"name\":\"orders\",\"id\":\"o-c\",\"address\":\"10.9.9.9\",\"port\":8080,"
                + "\"check\":{\"tcp\":\"127.0.0.1:18999\",\"interval\":\"1h\"}}";
        HttpResponse<String> refused = send(tls, "POST", "/register", elsewhere, REGISTER_TOKEN);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(Http.JSON.readTree(refused.body()).at("/detail").asString()).contains("check.tcp")
                .contains("operate scope");
        assertThat(send(tls, "POST", "/register", elsewhere, OPERATE_TOKEN).statusCode()).isEqualTo(201);

        assertThat(send(tls, "GET", "/services/orders/instances/o-c", null, REGISTER_TOKEN).statusCode()).isEqualTo(403);
        assertThat(send(certificates.trustingServer(stranger), "GET", "/services/orders/instances/o-c", null, null)
                .statusCode()).isEqualTo(403);
        HttpResponse<String> read = send(certificates.trustingServer(dashboard), "GET", "/services/orders/instances/o-c",
                null, null);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(Http.JSON.readTree(read.body()).at("/check/tcp").asString()).isEqualTo("127.0.0.1:18999");
    }
}
