package io.beacon.eureka;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.expiry.ExpirySweeper;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.Registry;
import io.beacon.support.Http;
import io.beacon.support.MutableClock;
import io.beacon.support.TestClockConfiguration;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/** The Eureka wire format and semantics over real HTTP, driven by a mutable clock. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"server.address=127.0.0.1", "beacon.sweep.interval=1h"})
@Import(TestClockConfiguration.class)
class EurekaWireIT {

    static final String ORDERS = """
            {"instance":{"instanceId":"10.0.0.5:orders:8080","hostName":"orders-1.local","app":"ORDERS",
             "ipAddr":"10.0.0.5","status":"UP","overriddenStatus":"UNKNOWN",
             "port":{"$":8080,"@enabled":"true"},"securePort":{"$":443,"@enabled":"false"},"countryId":1,
             "dataCenterInfo":{"@class":"com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo","name":"MyOwn"},
             "leaseInfo":{"renewalIntervalInSecs":30,"durationInSecs":90},
             "metadata":{"@class":"java.util.Collections$EmptyMap"},
             "homePageUrl":"http://10.0.0.5:8080/","statusPageUrl":"http://10.0.0.5:8080/info",
             "healthCheckUrl":"http://10.0.0.5:8080/health","vipAddress":"orders","secureVipAddress":"orders",
             "isCoordinatingDiscoveryServer":"false","lastUpdatedTimestamp":"1700000000000",
             "lastDirtyTimestamp":"1700000000000"}}""";

    @LocalServerPort
    int port;
    @Autowired
    Registry registry;
    @Autowired
    MutableClock clock;
    @Autowired
    ExpirySweeper sweeper;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    @AfterEach
    void cleanUp() {
        registry.instances().toList().forEach(i -> registry.deregister(i.key()));
    }

    @Test
    void registersAndAnswersTheExactJsonShape() {
        assertThat(http.post("/eureka/apps/ORDERS", ORDERS).statusCode()).isEqualTo(204);

        HttpResponse<String> response = getJson("/eureka/apps/");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode apps = Http.json(response).get("applications");
        assertThat(apps.get("apps__hashcode").asString()).isEqualTo("UP_1_");
        assertThat(apps.get("versions__delta").isString()).isTrue();
        assertThat(apps.get("versions__delta").asString()).isNotEqualTo("-1");
        JsonNode app = apps.get("application").get(0);
        assertThat(app.get("name").asString()).isEqualTo("ORDERS");
        JsonNode i = app.get("instance").get(0);
        assertThat(i.get("instanceId").asString()).isEqualTo("10.0.0.5:orders:8080");
        assertThat(i.get("hostName").asString()).isEqualTo("orders-1.local");
        assertThat(i.get("port").toString()).isEqualTo("{\"$\":8080,\"@enabled\":\"true\"}");
        assertThat(i.get("securePort").toString()).isEqualTo("{\"$\":443,\"@enabled\":\"false\"}");
        assertThat(i.get("dataCenterInfo").get("@class").asString())
                .isEqualTo("com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo");
        assertThat(i.get("metadata").toString()).isEqualTo("{\"@class\":\"java.util.Collections$EmptyMap\"}");
        assertThat(i.get("lastDirtyTimestamp").isString()).isTrue();
        assertThat(i.get("lastDirtyTimestamp").asString()).isEqualTo("1700000000000");
        assertThat(i.get("lastUpdatedTimestamp").isString()).isTrue();
        assertThat(i.get("isCoordinatingDiscoveryServer").asString()).isEqualTo("false");
        assertThat(i.get("statusPageUrl").asString()).isEqualTo("http://10.0.0.5:8080/info");
        assertThat(i.get("leaseInfo").get("durationInSecs").asInt()).isEqualTo(90);
        assertThat(i.get("leaseInfo").get("renewalIntervalInSecs").asInt()).isEqualTo(30);

        JsonNode discovered = Http.json(http.get("/discover?name=orders"));
        assertThat(discovered.get("count").asInt()).isEqualTo(1);
        assertThat(discovered.get("services").get(0).get("address").asString()).isEqualTo("10.0.0.5");
        assertThat(discovered.get("services").get(0).get("port").asInt()).isEqualTo(8080);
        assertThat(discovered.get("services").get(0).get("leaseSeconds").asInt()).isEqualTo(90);
    }

    @Test
    void nativeInstancesAppearToEurekaClientsWithMetadataAndStaleAsDown() {
        assertThat(http.post("/register", """
                {"name":"Billing","address":"10.0.0.9","port":9000,"metadata":{"team":"pay"}}""").statusCode())
                .isEqualTo(201);
        JsonNode i = Http.json(getJson("/eureka/apps/BILLING/10.0.0.9:9000")).get("instance");
        assertThat(i.get("app").asString()).isEqualTo("BILLING");
        assertThat(i.get("hostName").asString()).isEqualTo("10.0.0.9");
        assertThat(i.get("vipAddress").asString()).isEqualTo("billing");
        assertThat(i.get("status").asString()).isEqualTo("UP");
        assertThat(i.get("metadata").toString()).isEqualTo("{\"team\":\"pay\"}");
        assertThat(i.get("port").toString()).isEqualTo("{\"$\":9000,\"@enabled\":\"true\"}");

        // Beacon's zone and version reach Eureka clients as metadata.zone / metadata.version (Spring Cloud's
        // zone preference reads metadata.zone); a metadata entry of the same name wins
        assertThat(http.post("/register", """
                {"name":"billing","id":"billing-2","address":"10.0.0.8","port":9000,"zone":"eu-2","version":"1.4.0",
                 "metadata":{"team":"pay","version":"1.4.0-hotfix"}}""").statusCode()).isEqualTo(201);
        JsonNode zoned = Http.json(getJson("/eureka/apps/BILLING/billing-2")).get("instance");
        assertThat(zoned.get("metadata").toString())
                .isEqualTo("{\"team\":\"pay\",\"version\":\"1.4.0-hotfix\",\"zone\":\"eu-2\"}");
        assertThat(http.delete("/deregister/billing/billing-2").statusCode()).isEqualTo(204);

        clock.advance(Duration.ofSeconds(31));
        sweeper.sweep(clock.instant());
        JsonNode apps = Http.json(getJson("/eureka/apps")).get("applications");
        assertThat(apps.get("apps__hashcode").asString()).isEqualTo("DOWN_1_");
        assertThat(Http.json(getJson("/eureka/vips/billing")).get("applications").get("application").get(0)
                .get("instance").get(0).get("status").asString()).isEqualTo("DOWN");
    }

    @Test
    void renewalsThroughEitherApiRenewTheSameLease() {
        http.post("/eureka/apps/ORDERS", ORDERS);
        InstanceKey key = InstanceKey.of("orders", "10.0.0.5:orders:8080");
        Instant later = clock.advance(Duration.ofSeconds(20));
        assertThat(http.put("/eureka/apps/ORDERS/10.0.0.5:orders:8080?status=UP&lastDirtyTimestamp=1700000000000",
                null).statusCode()).isEqualTo(200);
        assertThat(registry.get(key).orElseThrow().lease().lastRenewedAt()).isEqualTo(later);

        Instant evenLater = clock.advance(Duration.ofSeconds(20));
        assertThat(http.put("/heartbeat/orders/10.0.0.5:orders:8080", null).statusCode()).isEqualTo(200);
        assertThat(registry.get(key).orElseThrow().lease().lastRenewedAt()).isEqualTo(evenLater);

        http.post("/register", "{\"name\":\"billing\",\"address\":\"10.0.0.9\",\"port\":9000}");
        Instant last = clock.advance(Duration.ofSeconds(5));
        assertThat(http.put("/eureka/apps/BILLING/10.0.0.9:9000?status=UP", null).statusCode()).isEqualTo(200);
        assertThat(registry.get(InstanceKey.of("billing", "10.0.0.9:9000")).orElseThrow().lease().lastRenewedAt())
                .isEqualTo(last);
    }

    @Test
    void renewOfUnknownOrOutdatedInstanceIs404SoTheClientRegistersAgain() {
        assertThat(http.put("/eureka/apps/ORDERS/nobody?status=UP", null).statusCode()).isEqualTo(404);
        http.post("/eureka/apps/ORDERS", ORDERS);
        assertThat(http.put("/eureka/apps/ORDERS/10.0.0.5:orders:8080?status=UP&lastDirtyTimestamp=1800000000000",
                null).statusCode()).isEqualTo(404);
    }

    @Test
    void rejectsIncompleteRegistrationsWithProblemDetailsAndChangesNothing() {
        String noHost = ORDERS.replace("\"hostName\":\"orders-1.local\",", "").replace("\"ipAddr\":\"10.0.0.5\",", "");
        HttpResponse<String> response = http.post("/eureka/apps/ORDERS", noHost);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(response.body()).contains("hostName").contains("ipAddr");

        HttpResponse<String> mismatch = http.post("/eureka/apps/BILLING", ORDERS);
        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(mismatch.body()).contains("app");
        assertThat(http.post("/eureka/apps/ORDERS", ORDERS.replace("\"name\":\"MyOwn\"", "\"x\":1")).statusCode())
                .isEqualTo(400);
        assertThat(http.post("/eureka/apps/ORDERS", "{not json").statusCode()).isEqualTo(400);
        assertThat(registry.size()).isZero();
    }

    @Test
    void instanceIdFallsBackToHostName() {
        assertThat(http.post("/eureka/apps/ORDERS", ORDERS.replace("\"instanceId\":\"10.0.0.5:orders:8080\",", ""))
                .statusCode()).isEqualTo(204);
        assertThat(registry.get(InstanceKey.of("orders", "orders-1.local"))).isPresent();
    }

    @Test
    void deltaCarriesAddedModifiedAndDeletedWithTheFullRegistryHash() {
        http.post("/eureka/apps/ORDERS", ORDERS);
        http.post("/register", "{\"name\":\"billing\",\"address\":\"10.0.0.9\",\"port\":9000}");
        assertThat(http.put("/eureka/apps/ORDERS/10.0.0.5:orders:8080/status?value=OUT_OF_SERVICE", null)
                .statusCode()).isEqualTo(200);
        assertThat(http.delete("/eureka/apps/BILLING/10.0.0.9:9000").statusCode()).isEqualTo(200);

        JsonNode delta = Http.json(getJson("/eureka/apps/delta")).get("applications");
        assertThat(delta.get("apps__hashcode").asString()).isEqualTo("OUT_OF_SERVICE_1_");
        JsonNode billing = find(delta, "BILLING", "10.0.0.9:9000");
        assertThat(billing.get("actionType").asString()).isEqualTo("DELETED");
        JsonNode orders = find(delta, "ORDERS", "10.0.0.5:orders:8080");
        assertThat(orders.get("actionType").asString()).isEqualTo("MODIFIED");
        assertThat(orders.get("status").asString()).isEqualTo("OUT_OF_SERVICE");
        assertThat(orders.get("overriddenStatus").asString()).isEqualTo("OUT_OF_SERVICE");

        assertThat(http.delete("/eureka/apps/ORDERS/10.0.0.5:orders:8080/status").statusCode()).isEqualTo(200);
        assertThat(Http.json(getJson("/eureka/apps")).get("applications").get("apps__hashcode").asString())
                .isEqualTo("UP_1_");

        clock.advance(Duration.ofMinutes(4));
        JsonNode later = Http.json(getJson("/eureka/apps/delta")).get("applications");
        assertThat(later.get("application").size()).isZero();
    }

    @Test
    void deltaListsDeletedInstancesAfterTheOthersOfTheirApplication() {
        http.post("/register", "{\"name\":\"billing\",\"id\":\"b-old\",\"address\":\"10.0.0.8\",\"port\":9000}");
        http.delete("/deregister/billing/b-old");
        http.post("/register", "{\"name\":\"billing\",\"id\":\"b-new\",\"address\":\"10.0.0.9\",\"port\":9000}");
        JsonNode delta = Http.json(getJson("/eureka/apps/delta")).get("applications");
        JsonNode billing = null;
        for (JsonNode a : delta.get("application")) {
            if (a.get("name").asString().equals("BILLING")) {
                billing = a.get("instance");
            }
        }
        assertThat(billing).isNotNull();
        String lastAction = "";
        boolean sawDeleted = false;
        for (JsonNode i : billing) {
            if (i.get("actionType").asString().equals("DELETED")) {
                sawDeleted = true;
            } else {
                assertThat(sawDeleted).as("a non-DELETED entry after a DELETED one: %s", billing).isFalse();
            }
            lastAction = i.get("actionType").asString();
        }
        assertThat(sawDeleted).isTrue();
        assertThat(lastAction).isEqualTo("DELETED");
    }

    @Test
    void answersXmlUnlessJsonIsAskedForAndGzipWhenAccepted() throws IOException, InterruptedException {
        http.post("/eureka/apps/ORDERS", ORDERS);
        HttpResponse<String> xml = http.get("/eureka/apps");
        assertThat(xml.headers().firstValue("Content-Type")).contains("application/xml");
        assertThat(xml.body()).startsWith("<applications><versions__delta>")
                .contains("<apps__hashcode>UP_1_</apps__hashcode>")
                .contains("<port enabled=\"true\">8080</port>")
                .contains("<dataCenterInfo class=\"com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo\">")
                .contains("<metadata class=\"java.util.Collections$EmptyMap\"/>");

        HttpResponse<byte[]> zipped = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(http.base() + "/eureka/apps"))
                .header("Accept", "application/json").header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zipped.headers().firstValue("Content-Encoding")).contains("gzip");
        String body = new String(new GZIPInputStream(new ByteArrayInputStream(zipped.body())).readAllBytes());
        assertThat(Http.JSON.readTree(body).get("applications").get("apps__hashcode").asString()).isEqualTo("UP_1_");
    }

    @Test
    void unknownApplicationsAndInstancesAre404AndMetadataUpdates() {
        assertThat(getJson("/eureka/apps/NOPE").statusCode()).isEqualTo(404);
        assertThat(getJson("/eureka/instances/nobody").statusCode()).isEqualTo(404);
        http.post("/eureka/apps/ORDERS", ORDERS);
        assertThat(http.put("/eureka/apps/ORDERS/10.0.0.5:orders:8080/metadata?zone=eu-1", null).statusCode())
                .isEqualTo(200);
        JsonNode i = Http.json(getJson("/eureka/instances/10.0.0.5:orders:8080")).get("instance");
        assertThat(i.get("metadata").get("zone").asString()).isEqualTo("eu-1");
        assertThat(http.put("/eureka/apps/ORDERS/10.0.0.5:orders:8080/status?value=BOGUS", null).statusCode())
                .isEqualTo(400);
        assertThat(Http.json(getJson("/eureka/apps/orders")).get("application").get("instance").get(0)
                .get("status").asString()).isEqualTo("UP");
    }

    private HttpResponse<String> getJson(String path) {
        return http.send(HttpRequest.newBuilder(URI.create(http.base() + path)).header("Accept", "application/json")
                .GET());
    }

    private static JsonNode find(JsonNode applications, String app, String id) {
        for (JsonNode a : applications.get("application")) {
            if (a.get("name").asString().equals(app)) {
                for (JsonNode i : a.get("instance")) {
                    if (i.get("instanceId").asString().equals(id)) {
                        return i;
                    }
                }
            }
        }
        throw new AssertionError(app + "/" + id + " not in " + applications);
    }

    /** A request with these headers (name, value, ...) and no body, answered as bytes. */
    private HttpResponse<byte[]> raw(String method, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(http.base() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return java.net.http.HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void assertSameAnswer(HttpResponse<byte[]> direct, HttpResponse<byte[]> mvc) {
        assertThat(direct.statusCode()).isEqualTo(mvc.statusCode());
        for (String header : java.util.List.of("Content-Type", "Vary", "Content-Encoding")) {
            assertThat(direct.headers().firstValue(header)).as(header).isEqualTo(mvc.headers().firstValue(header));
        }
        assertThat(direct.body()).isEqualTo(mvc.body());
    }

    /**
     * The per-application read and the renewal are answered below MVC for plain requests; an {@code Accept}
     * with a quality value is not plain, so it gives the MVC answer to compare with.
     */
    @Test
    void plainReadsAndRenewalsAnswerAsTheControllersDo() {
        http.post("/eureka/apps/ORDERS", ORDERS);
        assertSameAnswer(raw("GET", "/eureka/apps/ORDERS", "Accept", "application/json"),
                raw("GET", "/eureka/apps/ORDERS", "Accept", "application/json;q=0.9"));
        assertSameAnswer(raw("GET", "/eureka/apps/orders", "Accept", "application/json", "Accept-Encoding", "gzip"),
                raw("GET", "/eureka/apps/orders", "Accept", "application/json;q=0.9", "Accept-Encoding", "gzip"));
        assertSameAnswer(raw("GET", "/eureka/apps/ORDERS"), raw("GET", "/eureka/apps/ORDERS", "Accept", "text/xml"));
        assertSameAnswer(raw("GET", "/eureka/apps/NOBODY", "Accept", "application/json"),
                raw("GET", "/eureka/apps/NOBODY", "Accept", "application/json;q=0.9"));
        assertThat(raw("GET", "/eureka/apps/ORDERS", "Accept", "application/json").headers()
                .firstValue("Content-Type")).hasValue("application/json");

        String renew = "/eureka/apps/ORDERS/10.0.0.5:orders:8080?status=UP&lastDirtyTimestamp=1700000000000";
        Instant later = clock.advance(Duration.ofSeconds(5));
        HttpResponse<byte[]> direct = raw("PUT", renew);
        assertThat(registry.get(InstanceKey.of("orders", "10.0.0.5:orders:8080")).orElseThrow().lease()
                .lastRenewedAt()).isEqualTo(later);
        assertSameAnswer(direct, raw("PUT", renew, "Accept", "application/json;q=0.9"));
        assertThat(direct.statusCode()).isEqualTo(200);
        assertThat(direct.body()).isEmpty();
        String outdated = "/eureka/apps/ORDERS/10.0.0.5:orders:8080?status=UP&lastDirtyTimestamp=1800000000000";
        assertSameAnswer(raw("PUT", outdated), raw("PUT", outdated, "Accept", "application/json;q=0.9"));
        assertThat(raw("PUT", outdated).statusCode()).isEqualTo(404);
        assertSameAnswer(raw("PUT", "/eureka/apps/ORDERS/nobody"),
                raw("PUT", "/eureka/apps/ORDERS/nobody", "Accept", "application/json;q=0.9"));
        assertSameAnswer(raw("PUT", "/eureka/apps/bad%20app/x"),
                raw("PUT", "/eureka/apps/bad%20app/x", "Accept", "application/json;q=0.9"));
        assertThat(raw("PUT", "/eureka/apps/bad%20app/x").statusCode()).isEqualTo(400);
    }
}
