package io.beacon.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.policy.PolicyStore;
import io.beacon.registry.Registry;
import io.beacon.registry.ServiceName;
import io.beacon.registry.ServiceSnapshot;
import io.beacon.support.Http;
import io.beacon.support.TestClockConfiguration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * A seeded fuzz run over every endpoint that reads input, on a real port (many malformed requests are
 * answered by Tomcat before Spring MVC): bodies of every write (register, heartbeat with and without a
 * body, deregister, drain, report, policy, Eureka register/renew/cancel/status/metadata), their path
 * segments, the query parameters of {@code /discover}, {@code /discover/one}, {@code /watch} and
 * {@code /prometheus/targets}, and the Content-Type and Accept headers. For every answer:
 * <ul>
 * <li>never a 5xx;
 * <li>every 4xx is {@code application/problem+json} with its status, a title and a detail that names no
 * Java class or exception;
 * <li>a rejected write changes nothing: the registry (every service, index and instance) and the policies
 * are as before.
 * </ul>
 * The seed is fixed ({@code -Dbeacon.fuzz.seed=...} to change it, {@code -Dbeacon.fuzz.requests=...} for
 * the number of requests) and printed with any failure, so a failure replays exactly.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "server.address=127.0.0.1", "beacon.sweep.interval=1h", "beacon.health.enabled=false",
    "beacon.watch.default-wait=20ms", "beacon.watch.max-wait=50ms"})
@Import(TestClockConfiguration.class)
class InputFuzzIT {

    private static final long SEED = Long.getLong("beacon.fuzz.seed", 20_260_101L);
    private static final int REQUESTS = Integer.getInteger("beacon.fuzz.requests", 2500);
    private static final String SEED_SERVICE = "fz-seed";
    private static final String SEED_ID = "10.0.0.1:8080";
    private static final List<String> SERVICES = List.of(SEED_SERVICE, "fz-a", "fz-b", "FZ-SEED");

    @LocalServerPort
    int port;

    @Autowired
    Registry registry;

    @Autowired
    PolicyStore policies;

    private FuzzInputs in;

    /** One generated request. */
    record Request(String method, String target, List<String[]> headers, byte[] body, boolean chunked,
            boolean write) {
        @Override
        public String toString() {
            String shown = body == null ? "" : " body=" + new String(body, StandardCharsets.UTF_8);
            return method + " " + target + " " + headers.stream().map(h -> h[0] + ": " + h[1])
                    .collect(Collectors.joining(", ", "[", "]")) + (chunked ? " chunked" : "")
                    + (shown.length() > 600 ? shown.substring(0, 600) + "..." : shown);
        }
    }

    @BeforeEach
    void seed() {
        Http http = new Http(port);
        assertThat(http.post("/register", "{\"name\":\"" + SEED_SERVICE + "\",\"address\":\"10.0.0.1\",\"port\":8080,"
                + "\"version\":\"v1\",\"metadata\":{\"team\":\"fz\"}}").statusCode()).isIn(200, 201);
        in = new FuzzInputs(new Random(SEED));
    }

    @Test
    void noInputGetsA5xxEveryRejectionIsAProblemAndChangesNothing() throws IOException {
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (int n = 0; n < REQUESTS; n++) {
            Request request = next();
            String before = request.write() ? state() : null;
            RawHttp.Response response = RawHttp.send(port, request.method(), request.target(), request.headers(),
                    request.body(), request.chunked());
            String what = "seed " + SEED + ", request #" + n + ": " + request + " -> " + response.status() + " "
                    + response.text();
            statuses.merge(response.status(), 1, Integer::sum);
            assertThat(response.status()).as(what).isLessThan(500);
            if (response.status() >= 400) {
                assertProblem(response, what);
                if (before != null) {
                    assertThat(state()).as("a rejected write changes nothing; " + what).isEqualTo(before);
                }
            }
        }
        System.out.println("Input fuzz, seed " + SEED + ", " + REQUESTS + " requests, statuses " + statuses);
        // the run reached the handlers, not only the guards: successes and rejections of several kinds
        assertThat(statuses.keySet()).as("statuses seen: " + statuses).contains(200, 204, 400, 404, 415);
        assertThat(statuses.getOrDefault(400, 0)).as("statuses seen: " + statuses).isGreaterThan(REQUESTS / 10);
    }

    private static void assertProblem(RawHttp.Response response, String what) {
        assertThat(response.header("Content-Type")).as(what).startsWith("application/problem+json");
        JsonNode problem = Http.JSON.readTree(response.body());
        assertThat(problem.path("status").asInt()).as(what).isEqualTo(response.status());
        assertThat(problem.path("title").asString("")).as(what).isNotBlank();
        String detail = problem.path("detail").asString("");
        assertThat(detail).as(what).isNotBlank().doesNotContain("Exception").doesNotContain("io.beacon")
                .doesNotContain("java.").doesNotContain("tools.jackson").doesNotContain("\tat ")
                .doesNotContainPattern("\\b[a-z]+\\.[a-z]+\\.[A-Z][A-Za-z]+");
    }

    /** Everything a rejected write must leave alone. */
    private String state() {
        StringBuilder sb = new StringBuilder();
        for (ServiceSnapshot s : registry.services()) {
            sb.append(s).append('\n');
        }
        for (String name : SERVICES) {
            sb.append(name).append(" policy ").append(policies.get(ServiceName.of(name))).append('\n');
        }
        return sb.toString();
    }

    private Request next() {
        String service = in.pick(SERVICES);
        String id = in.pick(SEED_ID, "10.0.0.2:9000", "fz-1", "10.0.0.1:orders:8080");
        String name = in.segment(service);
        String instance = in.segment(id);
        return switch (in.between(0, 15)) {
            case 0, 1 -> write("POST", "/register", registration(service));
            case 2 -> in.chance(0.5) ? write("PUT", "/heartbeat/" + name + "/" + instance, null)
                    : write("PUT", "/heartbeat/" + name + "/" + instance, Map.of("inflight", new FuzzInputs.Raw("3")));
            case 3 -> write("DELETE", "/deregister/" + name + "/" + instance, null);
            case 4 -> write("PUT", "/services/" + name + "/instances/" + instance + "/status",
                    Map.of("status", in.pick("OUT_OF_SERVICE", "UP")));
            case 5 -> write("POST", "/report", report(service, id));
            case 6 -> write("PUT", "/services/" + name + "/policy", policy());
            case 7 -> write("POST", "/eureka/apps/" + name, eureka(service, id));
            case 8 -> write("PUT", "/eureka/apps/" + name + "/" + instance + query(Map.of("status", "UP",
                    "lastDirtyTimestamp", "1767225600000")), null);
            case 9 -> write("DELETE", "/eureka/apps/" + name + "/" + instance, null);
            case 10 -> write("PUT", "/eureka/apps/" + name + "/" + instance + "/status"
                    + query(Map.of("value", in.pick("OUT_OF_SERVICE", "UP", "DOWN", "BUSY"))), null);
            case 11 -> write("PUT", "/eureka/apps/" + name + "/" + instance + "/metadata"
                    + query(Map.of(in.pick("team", "zone", "k\u0007", ""), "x")), null);
            case 12 -> read("/discover" + query(discoverParams(service)));
            case 13 -> read("/discover/one" + query(oneParams(service)));
            case 14 -> read("/watch" + query(in.chance(0.3) ? Map.of("name", service) : Map.of("name", service,
                    in.pick("service", "index", "wait"), in.randomText())));
            default -> read("/prometheus/targets" + query(in.chance(0.5) ? Map.of("name", service)
                    : Map.of(in.pick("name", "service", "job"), in.randomText())));
        };
    }

    private Request write(String method, String path, Map<String, Object> body) {
        List<String[]> headers = new ArrayList<>();
        byte[] bytes = body == null ? (in.chance(0.1) ? in.body(Map.of("inflight", new FuzzInputs.Raw("1"))) : null)
                : in.body(body);
        String type = bytes == null && in.chance(0.7) ? null : in.contentType();
        if (type != null) {
            headers.add(new String[] {"Content-Type", type});
        }
        String accept = in.accept();
        if (accept != null) {
            headers.add(new String[] {"Accept", accept});
        }
        return new Request(method, path, headers, bytes, bytes != null && in.chance(0.1), true);
    }

    private Request read(String target) {
        List<String[]> headers = new ArrayList<>();
        String accept = in.accept();
        if (accept != null) {
            headers.add(new String[] {"Accept", accept});
        }
        if (target.startsWith("/watch") && in.chance(0.3)) {
            headers.add(new String[] {"Last-Event-ID", in.pick("abc", "-1", "99999999999999999999", "7", "")});
        }
        if (in.chance(0.1)) {
            headers.add(new String[] {"Content-Type", in.pick("*/*", "application/*", ";;;", "application/json")});
        }
        return new Request("GET", target, headers, null, false, false);
    }

    /** A query string of {@code params}, each value fuzzed, sometimes with an unknown or repeated key. */
    private String query(Map<String, String> params) {
        List<String> pairs = new ArrayList<>();
        params.forEach((k, v) -> pairs.add(FuzzInputs.encode(k) + "=" + in.queryValue(v)));
        if (in.chance(0.15)) {
            pairs.add(in.pick("unknown", "name", "meta.", "%ff", "index") + "=" + in.queryValue(in.randomText()));
        }
        return pairs.isEmpty() ? "" : "?" + String.join("&", pairs);
    }

    private Map<String, String> discoverParams(String service) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("name", service);
        if (in.chance(0.4)) {
            p.put(in.pick("tag", "zone", "version", "meta.team", "status"), in.pick("v1", "fz", "UP,STALE", "", "ANY"));
        }
        if (in.chance(0.3)) {
            p.put("index", in.pick("0", "1", "999999", "-1", "abc"));
            p.put("wait", in.pick("10ms", "20ms", "30", "1x", "0s"));
        }
        return p;
    }

    private Map<String, String> oneParams(String service) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("name", service);
        if (in.chance(0.6)) {
            p.put("strategy", in.pick("round_robin", "random", "weighted", "least_connections", "consistent_hash",
                    "fastest"));
        }
        if (in.chance(0.4)) {
            p.put(in.pick("key", "prefer_zone"), in.pick("user-1", "eu-1", ""));
        }
        return p;
    }

    private Map<String, Object> registration(String service) {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put(in.pick("http", "tcp"), in.pick("http://127.0.0.1:1/h", "127.0.0.1:1"));
        check.put("interval", in.pick("10s", "500ms", "2m"));
        check.put("timeout", "1s");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", service);
        body.put("address", in.pick("10.0.0.1", "10.0.0.2", "fz.local", "::1"));
        body.put("port", new FuzzInputs.Raw(in.pick("8080", "9000")));
        if (in.chance(0.5)) {
            body.put("id", in.pick("fz-1", SEED_ID));
        }
        body.put("metadata", Map.of("team", "fz", "version", "v2"));
        body.put("tags", List.of("http"));
        body.put("zone", "eu-1");
        body.put("weight", new FuzzInputs.Raw("100"));
        body.put("leaseSeconds", new FuzzInputs.Raw("30"));
        if (in.chance(0.5)) {
            body.put("check", check);
        }
        return body;
    }

    private Map<String, Object> report(String service, String id) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("name", service);
        one.put("id", id);
        one.put("outcome", in.pick("success", "failure"));
        one.put("latencyMs", new FuzzInputs.Raw("12"));
        return in.chance(0.7) ? one : Map.of("reports", List.of(one, one));
    }

    private Map<String, Object> policy() {
        Map<String, Object> outlier = new LinkedHashMap<>();
        outlier.put("consecutiveFailures", new FuzzInputs.Raw("5"));
        outlier.put("baseEjectionSeconds", new FuzzInputs.Raw("30"));
        outlier.put("maxEjectionPercent", new FuzzInputs.Raw("50"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("strategy", "weighted");
        body.put("split", List.of(Map.of("version", "v1", "weight", new FuzzInputs.Raw("90")),
                Map.of("version", "v2", "weight", new FuzzInputs.Raw("10"))));
        body.put("outlier", outlier);
        return body;
    }

    private Map<String, Object> eureka(String service, String id) {
        Map<String, Object> port = new LinkedHashMap<>();
        port.put("$", new FuzzInputs.Raw("8080"));
        port.put("@enabled", "true");
        Map<String, Object> instance = new LinkedHashMap<>();
        instance.put("instanceId", id);
        instance.put("hostName", "10.0.0.1");
        instance.put("app", service.toUpperCase());
        instance.put("ipAddr", "10.0.0.1");
        instance.put("status", "UP");
        instance.put("port", port);
        instance.put("dataCenterInfo", Map.of("@class", "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo",
                "name", "MyOwn"));
        instance.put("leaseInfo", Map.of("renewalIntervalInSecs", new FuzzInputs.Raw("30"),
                "durationInSecs", new FuzzInputs.Raw("90")));
        instance.put("metadata", Map.of("zone", "eu-1", "version", "v1"));
        instance.put("lastDirtyTimestamp", "1767225600000");
        return in.chance(0.85) ? Map.of("instance", instance) : instance;
    }
}
