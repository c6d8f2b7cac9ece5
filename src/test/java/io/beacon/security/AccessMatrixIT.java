package io.beacon.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.policy.PolicyStore;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.Registry;
import io.beacon.registry.ServiceName;
import io.beacon.support.Http;
import io.beacon.support.MutableClock;
import io.beacon.support.TestClockConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * Enforced mode over a real port: every endpoint that touches a service (native, Eureka, watch, report,
 * drain, policy), the token API and the actuator, against every kind of credential, with the expected
 * status, and the registry, policies and breakers unchanged after every denial.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "beacon.sweep.interval=1h", "beacon.self-preservation.enabled=false",
    "beacon.security.mode=enforced",
    "beacon.security.tokens.root.secret=" + AccessMatrixIT.ADMIN,
    "beacon.security.tokens.root.scopes=admin",
    "beacon.security.tokens.reader.secret=" + AccessMatrixIT.READ,
    "beacon.security.tokens.reader.scopes=read",
    "beacon.security.tokens.ci-orders.secret=" + AccessMatrixIT.REGISTER_OWN,
    "beacon.security.tokens.ci-orders.scopes=register:orders",
    "beacon.security.tokens.ci-payments.secret=" + AccessMatrixIT.REGISTER_OTHER,
    "beacon.security.tokens.ci-payments.scopes=register:payments-*,register:payments",
    "beacon.security.tokens.ops-payments.secret=" + AccessMatrixIT.OPERATE_OTHER,
    "beacon.security.tokens.ops-payments.scopes=operate:payments",
    // SHA-256 of "hashed-reader-secret-0123"
    "beacon.security.tokens.hashed.secret-sha256=" + AccessMatrixIT.HASHED_SHA256,
    "beacon.security.tokens.hashed.scopes=read"})
@Import(TestClockConfiguration.class)
@ExtendWith(OutputCaptureExtension.class)
class AccessMatrixIT {

    static final String ADMIN = "admin-secret-0123456789";
    static final String READ = "reader-secret-0123456789";
    static final String REGISTER_OWN = "orders-register-secret-0123";
    static final String REGISTER_OTHER = "payments-register-secret-0123";
    static final String OPERATE_OTHER = "payments-operate-secret-0123";
    static final String HASHED = "hashed-reader-secret-0123";
    static final String HASHED_SHA256 = "419bb9be08666bc739b6ddc4004903b2dd8c1eabe0ac134eeaa39fa10b2cd2de";

    static final String EUREKA_ID = "10.0.0.5:orders:8080";
    static final String EUREKA_BODY = """
            {"instance":{"instanceId":"10.0.0.5:orders:8080","hostName":"10.0.0.5","app":"ORDERS",\
            "ipAddr":"10.0.0.5","status":"UP","overriddenStatus":"UNKNOWN","port":{"$":8080,"@enabled":"true"},\
            "securePort":{"$":443,"@enabled":"false"},"countryId":1,"dataCenterInfo":{"@class":\
            "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo","name":"MyOwn"},"leaseInfo":\
            {"renewalIntervalInSecs":30,"durationInSecs":90},"metadata":{"zone":"eu-west-1a"},\
            "vipAddress":"orders","secureVipAddress":"orders","lastDirtyTimestamp":"1767225600000"}}""";

    /** What an endpoint needs. */
    enum Needs { OPEN, READ, REGISTER, OPERATE, ADMIN, REGISTER_BOTH }

    /** The credentials of a column. */
    enum Column {
        NONE(null), MALFORMED("Bearer"), UNKNOWN("Bearer not-a-token-Beacon-knows-0123"), REVOKED(null),
        READ_TOKEN("Bearer " + READ), REGISTER_OWN_TOKEN("Bearer " + REGISTER_OWN),
        REGISTER_OTHER_TOKEN("Bearer " + REGISTER_OTHER), OPERATE_OTHER_TOKEN("Bearer " + OPERATE_OTHER),
        ADMIN_TOKEN("Bearer " + ADMIN);

        final String header;

        Column(String header) {
            this.header = header;
        }
    }

    record Case(String name, Needs needs, int ok, Function<String, HttpRequest.Builder> request) {
    }

    @LocalServerPort
    int port;
    @Autowired
    MutableClock clock;
    @Autowired
    Registry registry;
    @Autowired
    PolicyStore policies;
    @Autowired
    MeterRegistry meters;

    private final HttpClient client = HttpClient.newHttpClient();
    private Http http;
    private String revokedHeader;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        if (revokedHeader == null) {
            String id = "gone-" + System.nanoTime();
            HttpResponse<String> created = send(post("/acl/tokens", "{\"id\":\"" + id
                    + "\",\"scopes\":[\"admin\"]}"), "Bearer " + ADMIN);
            assertThat(created.statusCode()).isEqualTo(201);
            revokedHeader = "Bearer " + Http.json(created).get("secret").asString();
            assertThat(send(delete("/acl/tokens/" + id), "Bearer " + ADMIN).statusCode()).isEqualTo(204);
        }
    }

    List<Case> cases() {
        String register = "{\"name\":\"orders\",\"address\":\"10.1.1.1\",\"port\":8080,\"id\":\"o-1\"}";
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("register", Needs.REGISTER, 200, h -> post("/register", register)));
        cases.add(new Case("register other address", Needs.REGISTER, 200, h -> post("/register",
                "{\"name\":\"orders\",\"address\":\"6.6.6.6\",\"port\":8080,\"id\":\"o-1\"}")));
        cases.add(new Case("heartbeat", Needs.REGISTER, 200, h -> put("/heartbeat/orders/o-1", "{}")));
        cases.add(new Case("heartbeat upper case", Needs.REGISTER, 200, h -> put("/heartbeat/ORDERS/o-1", "{}")));
        cases.add(new Case("deregister", Needs.REGISTER, 204, h -> delete("/deregister/orders/o-1")));
        cases.add(new Case("report", Needs.REGISTER, 200, h -> post("/report",
                "{\"name\":\"orders\",\"id\":\"o-1\",\"outcome\":\"failure\"}")));
        cases.add(new Case("report mixing services", Needs.REGISTER_BOTH, 200, h -> post("/report",
                "[{\"name\":\"orders\",\"id\":\"o-1\",\"outcome\":\"failure\"},"
                        + "{\"name\":\"payments\",\"id\":\"p-1\",\"outcome\":\"failure\"}]")));
        cases.add(new Case("drain", Needs.OPERATE, 200, h -> put("/services/orders/instances/o-1/status",
                "{\"status\":\"OUT_OF_SERVICE\"}")));
        cases.add(new Case("policy put", Needs.OPERATE, 200, h -> put("/services/orders/policy",
                "{\"strategy\":\"round_robin\"}")));
        cases.add(new Case("policy delete", Needs.OPERATE, 204, h -> delete("/services/orders/policy")));
        cases.add(new Case("discover", Needs.READ, 200, h -> get("/discover?name=orders")));
        cases.add(new Case("long poll", Needs.READ, 200, h -> get("/discover?name=orders&index=0&wait=1s")));
        cases.add(new Case("catalog", Needs.READ, 200, h -> get("/services")));
        cases.add(new Case("instance", Needs.READ, 200, h -> get("/services/orders/instances/o-1")));
        cases.add(new Case("policy get", Needs.READ, 200, h -> get("/services/payments/policy")));
        cases.add(new Case("watch", Needs.READ, 200, h -> get("/watch?name=orders")));
        cases.add(new Case("prometheus targets", Needs.READ, 200, h -> get("/prometheus/targets")));
        cases.add(new Case("eureka apps", Needs.READ, 200, h -> get("/eureka/apps")));
        cases.add(new Case("eureka app", Needs.READ, 200, h -> get("/eureka/apps/ORDERS")));
        cases.add(new Case("eureka register", Needs.REGISTER, 204, h -> post("/eureka/apps/ORDERS", EUREKA_BODY)));
        cases.add(new Case("eureka renew", Needs.REGISTER, 200, h -> put("/eureka/apps/ORDERS/" + EUREKA_ID, null)));
        cases.add(new Case("eureka cancel", Needs.REGISTER, 200, h -> delete("/eureka/apps/ORDERS/" + EUREKA_ID)));
        cases.add(new Case("eureka status", Needs.OPERATE, 200,
                h -> put("/eureka/apps/ORDERS/" + EUREKA_ID + "/status?value=OUT_OF_SERVICE", null)));
        cases.add(new Case("eureka status delete", Needs.OPERATE, 200,
                h -> delete("/eureka/apps/ORDERS/" + EUREKA_ID + "/status")));
        cases.add(new Case("token list", Needs.ADMIN, 200, h -> get("/acl/tokens")));
        cases.add(new Case("token create", Needs.ADMIN, 201, h -> post("/acl/tokens",
                "{\"id\":\"t-" + System.nanoTime() + "\",\"scopes\":[\"read\"]}")));
        cases.add(new Case("token revoke config token", Needs.ADMIN, 409, h -> delete("/acl/tokens/reader")));
        cases.add(new Case("actuator prometheus", Needs.READ, 200, h -> get("/actuator/prometheus")));
        cases.add(new Case("actuator metrics", Needs.ADMIN, 200, h -> get("/actuator/metrics")));
        cases.add(new Case("liveness", Needs.OPEN, 200, h -> get("/actuator/health/liveness")));
        cases.add(new Case("readiness", Needs.OPEN, 200, h -> get("/actuator/health/readiness")));
        return cases;
    }

    static int expected(Needs needs, Column column, int ok) {
        if (needs == Needs.OPEN) {
            return ok;
        }
        return switch (column) {
            case NONE, MALFORMED, UNKNOWN, REVOKED -> 401;
            case ADMIN_TOKEN -> ok;
            case READ_TOKEN -> needs == Needs.READ ? ok : 403;
            case REGISTER_OWN_TOKEN -> needs == Needs.REGISTER ? ok : 403;
            case REGISTER_OTHER_TOKEN, OPERATE_OTHER_TOKEN -> 403;
        };
    }

    @Test
    void everyEndpointAgainstEveryCredential() {
        List<String> failures = new ArrayList<>();
        for (Case c : cases()) {
            for (Column column : Column.values()) {
                reset();
                clock.advance(Duration.ofSeconds(1)); // a renewal would change the lease
                Object before = state();
                String header = column == Column.REVOKED ? revokedHeader : column.header;
                HttpResponse<String> response = send(c.request().apply(header), header);
                int want = expected(c.needs(), column, c.ok());
                if (response.statusCode() != want) {
                    failures.add(c.name() + " with " + column + ": " + response.statusCode() + " (expected " + want
                            + ") " + response.body());
                    continue;
                }
                if (want == 401 || want == 403) {
                    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                    assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
                    if (!state().equals(before)) {
                        failures.add(c.name() + " with " + column + ": the registry changed after a " + want);
                    }
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void aForbiddenAnswerNamesTheScopeAndTheTokenNeverTheSecret() {
        reset();
        HttpResponse<String> response = send(put("/heartbeat/payments/p-1", "{}"), "Bearer " + REGISTER_OWN);
        assertThat(response.statusCode()).isEqualTo(403);
        JsonNode problem = Http.json(response);
        assertThat(problem.get("requiredScope").asString()).isEqualTo("register:payments");
        assertThat(problem.get("token").asString()).isEqualTo("ci-orders");
        assertThat(problem.get("detail").asString()).contains("ci-orders").contains("register:payments");
        assertThat(response.body()).doesNotContain(REGISTER_OWN);

        HttpResponse<String> register = send(post("/register",
                "{\"name\":\"payments\",\"address\":\"6.6.6.6\",\"port\":9,\"id\":\"p-1\"}"), "Bearer " + REGISTER_OWN);
        assertThat(register.statusCode()).isEqualTo(403);
        assertThat(Http.json(register).get("requiredScope").asString()).isEqualTo("register:payments");
        assertThat(registry.get(new InstanceKey(ServiceName.of("payments"), "p-1")).orElseThrow().address())
                .isEqualTo("10.2.2.2");
    }

    @Test
    void unknownAndRevokedTokensGetTheSameAnswer() {
        HttpResponse<String> unknown = send(get("/services"), Column.UNKNOWN.header);
        HttpResponse<String> revoked = send(get("/services"), revokedHeader);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(revoked.body()).isEqualTo(unknown.body());
        assertThat(Http.json(unknown).get("detail").asString()).doesNotContain("revoked", "unknown");
        assertThat(send(get("/services"), null).headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"beacon\", Basic realm=\"beacon\"");
    }

    @Test
    void basicAuthenticationCarriesTheTokenAsPasswordAndHashedSecretsWork() {
        String basic = "Basic " + Base64.getEncoder().encodeToString(("beacon:" + READ)
                .getBytes(StandardCharsets.UTF_8));
        assertThat(send(get("/eureka/apps"), basic).statusCode()).isEqualTo(200);
        assertThat(send(get("/services"), "Bearer " + HASHED).statusCode()).isEqualTo(200);
        String noPassword = "Basic " + Base64.getEncoder().encodeToString("beacon:".getBytes(StandardCharsets.UTF_8));
        assertThat(send(get("/services"), noPassword).statusCode()).isEqualTo(401);
    }

    @Test
    void tokenApiShowsTheSecretOnceAndNeverAgain() {
        HttpResponse<String> created = send(post("/acl/tokens",
                "{\"id\":\"deploy-bot\",\"scopes\":[\"register:orders-*\",\"read\"]}"), "Bearer " + ADMIN);
        assertThat(created.statusCode()).isEqualTo(201);
        String secret = Http.json(created).get("secret").asString();
        assertThat(secret).hasSize(43);
        assertThat(send(put("/heartbeat/orders-eu/x", "{}"), "Bearer " + secret).statusCode()).isEqualTo(404);
        assertThat(send(put("/heartbeat/orders/x", "{}"), "Bearer " + secret).statusCode()).isEqualTo(403);
        HttpResponse<String> list = send(get("/acl/tokens"), "Bearer " + ADMIN);
        assertThat(list.body()).contains("deploy-bot").doesNotContain(secret)
                .doesNotContain(TokenHashes.sha256(secret)).doesNotContain(ADMIN);
        JsonNode bot = null;
        for (JsonNode token : Http.json(list)) {
            if (token.get("id").asString().equals("deploy-bot")) {
                bot = token;
            }
        }
        assertThat(bot).isNotNull();
        assertThat(bot.get("lastUsed").isNull()).isFalse();
        assertThat(send(post("/acl/tokens", "{\"id\":\"deploy-bot\",\"scopes\":[\"read\"]}"), "Bearer " + ADMIN)
                .statusCode()).isEqualTo(409);
        assertThat(send(post("/acl/tokens", "{\"id\":\"x\",\"scopes\":[\"write:all\"]}"), "Bearer " + ADMIN)
                .statusCode()).isEqualTo(400);
        assertThat(send(delete("/acl/tokens/deploy-bot"), "Bearer " + ADMIN).statusCode()).isEqualTo(204);
        assertThat(send(get("/services"), "Bearer " + secret).statusCode()).isEqualTo(401);
        assertThat(send(delete("/acl/tokens/deploy-bot"), "Bearer " + ADMIN).statusCode()).isEqualTo(404);
    }

    @Test
    void springSecurityAddsNoObservationsOfItsOwn() {
        assertThat(send(get("/services"), "Bearer " + READ).statusCode()).isEqualTo(200);
        assertThat(meters.find("spring.security.filterchains").meters()).isEmpty();
        assertThat(meters.find("spring.security.authorizations").meters()).isEmpty();
        assertThat(meters.find("http.server.requests").tag("uri", "/services").timers()).isNotEmpty();
    }

    @Test
    void auditLinesNameTheTokenAndNeverASecret(CapturedOutput output) {
        reset();
        send(put("/heartbeat/orders/o-1", "{}"), "Bearer " + REGISTER_OWN);
        send(put("/heartbeat/payments/p-1", "{}"), "Bearer " + REGISTER_OWN);
        send(post("/report", "{\"name\":\"payments\",\"id\":\"p-1\",\"outcome\":\"failure\"}"),
                "Bearer " + REGISTER_OTHER);
        send(delete("/deregister/orders/o-1"), Column.UNKNOWN.header);
        send(post("/register", "{\"name\":\"orders\",\"address\":\"10.1.1.9\",\"port\":8080}"),
                "Bearer " + REGISTER_OWN);
        send(post("/register", "{\"name\":\"payments\",\"address\":\"10.2.2.9\",\"port\":8080,\"id\":\"p-9\"}"),
                "Bearer " + REGISTER_OWN);
        send(post("/report", "[{\"name\":\"payments\",\"id\":\"p-1\",\"outcome\":\"success\"},"
                + "{\"name\":\"orders\",\"id\":\"o-1\",\"outcome\":\"success\"}]"), "Bearer " + REGISTER_OTHER);
        // a line is written once the answer is sent, so the client may read the answer first
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output.getAll()).contains(
                "\"principal\":\"ci-orders\"", "\"action\":\"heartbeat\"",
                "\"service\":\"payments\"", "\"status\":403", "\"status\":200", "\"services\":[\"payments\"]",
                "\"principal\":\"anonymous\"", "\"status\":401",
                "\"action\":\"register\",\"method\":\"POST\",\"path\":\"/register\",\"services\":[\"orders\"],"
                        + "\"instance\":\"10.1.1.9:8080\",\"status\":201",
                "\"services\":[\"payments\"],\"instance\":\"p-9\",\"status\":403",
                "\"services\":[\"payments\",\"orders\"],\"instances\":[\"payments/p-1\",\"orders/o-1\"],\"status\":403"));
        String log = output.getAll();
        assertThat(log).as("an allowed renewal is not audited by default (beacon.security.audit.renewals)")
                .doesNotContainPattern("\"path\":\"/heartbeat/orders/o-1\"[^\\n]*\"status\":200");
        for (String secret : List.of(ADMIN, READ, REGISTER_OWN, REGISTER_OTHER, OPERATE_OTHER, HASHED,
                "not-a-token-Beacon-knows-0123")) {
            assertThat(log).doesNotContain(secret);
        }
        assertThat(((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(AuditLog.LOGGER))
                .getAppender(AuditWriter.APPENDER)).as("the lines are queued for a writing thread").isNotNull();
    }

    @Test
    void denialsAreCountedByReason() {
        for (String reason : List.of("missing", "malformed", "unknown", "revoked", "scope")) {
            assertThat(meters.find("beacon.auth.denied").tag("reason", reason).counter()).isNotNull();
        }
        double before = meters.get("beacon.auth.denied").tag("reason", "malformed").counter().count();
        send(get("/services"), "Basic !!!");
        assertThat(meters.get("beacon.auth.denied").tag("reason", "malformed").counter().count())
                .isEqualTo(before + 1);
    }

    /** The instances of orders and payments, Eureka's one included, without drains or policies. */
    private void reset() {
        String admin = "Bearer " + ADMIN;
        expect(send(post("/register", "{\"name\":\"orders\",\"address\":\"10.1.1.1\",\"port\":8080,\"id\":\"o-1\"}"),
                admin), 200, 201);
        expect(send(post("/register", "{\"name\":\"payments\",\"address\":\"10.2.2.2\",\"port\":8080,\"id\":\"p-1\"}"),
                admin), 200, 201);
        expect(send(post("/eureka/apps/ORDERS", EUREKA_BODY), admin), 204);
        expect(send(put("/services/orders/instances/o-1/status", "{\"status\":\"UP\"}"), admin), 200);
        expect(send(delete("/eureka/apps/ORDERS/" + EUREKA_ID + "/status"), admin), 200);
        expect(send(delete("/services/orders/policy"), admin), 204, 404);
    }

    private static void expect(HttpResponse<String> response, int... statuses) {
        assertThat(statuses).as(response.body()).contains(response.statusCode());
    }

    /** Everything a denied request must leave as it was. */
    private Object state() {
        List<Instance> instances = registry.instances().sorted(Comparator.comparing(i -> i.key().toString()))
                .toList();
        ServiceName orders = ServiceName.of("orders");
        ServiceName payments = ServiceName.of("payments");
        return List.of(instances, registry.index(orders), registry.index(payments),
                String.valueOf(policies.get(orders)), String.valueOf(policies.get(payments)));
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(http.base() + path)).GET();
    }

    private HttpRequest.Builder post(String path, String json) {
        return HttpRequest.newBuilder(URI.create(http.base() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private HttpRequest.Builder put(String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(http.base() + path));
        return json == null ? b.PUT(HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json));
    }

    private HttpRequest.Builder delete(String path) {
        return HttpRequest.newBuilder(URI.create(http.base() + path)).DELETE();
    }

    /** Sends with the header; a stream (SSE) is read up to its status and closed. */
    private HttpResponse<String> send(HttpRequest.Builder request, String authorization) {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        request.timeout(Duration.ofSeconds(10));
        try {
            HttpResponse<InputStream> response = client.send(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            String body;
            String type = response.headers().firstValue("Content-Type").orElse("");
            try (InputStream in = response.body()) {
                body = type.startsWith("text/event-stream") ? "" : new String(in.readAllBytes(),
                        StandardCharsets.UTF_8);
            }
            return new Response(response, body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private record Response(HttpResponse<InputStream> raw, String body) implements HttpResponse<String> {
        @Override public int statusCode() { return raw.statusCode(); }
        @Override public HttpRequest request() { return raw.request(); }
        @Override public java.util.Optional<HttpResponse<String>> previousResponse() { return java.util.Optional.empty(); }
        @Override public java.net.http.HttpHeaders headers() { return raw.headers(); }
        @Override public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return raw.sslSession(); }
        @Override public URI uri() { return raw.uri(); }
        @Override public HttpClient.Version version() { return raw.version(); }
    }
}
