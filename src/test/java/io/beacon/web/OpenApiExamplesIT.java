package io.beacon.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.Instance;
import io.beacon.registry.Registry;
import io.beacon.registry.ServiceName;
import io.beacon.support.Http;
import io.beacon.support.TestClockConfiguration;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * The documented examples are what Beacon really does: each documented problem example is replayed
 * against the running server and must match the real answer's status, title, detail, instance and
 * errors; documented request bodies must be accepted; documented Eureka bodies must have the real
 * fields. The examples are read from {@code /v3/api-docs}, so the document itself is what is checked.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestClockConfiguration.class)
class OpenApiExamplesIT {

    private static final String EUREKA = "/eureka/apps/ORDERS";
    private static final String EUREKA_ID = EUREKA + "/10.0.0.5:orders:8080";
    private static final String DRAIN = "/services/orders/instances/10.0.0.5:8080/status";

    @LocalServerPort
    int port;

    @Autowired
    Registry registry;

    Http http;
    JsonNode paths;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        paths = Http.json(http.get("/v3/api-docs")).get("paths");
        for (String service : List.of("orders", "payments")) {
            registry.service(ServiceName.of(service)).instances().stream().map(Instance::key)
                    .forEach(registry::deregister);
        }
    }

    @Test
    void problemExamplesMatchRealAnswers() {
        List<String> matched = new ArrayList<>();
        // before anything is registered
        check(matched, "/discover/one", "get", "400", "strategy",
                () -> http.get("/discover/one?name=orders&strategy=fastest"));
        check(matched, "/discover/one", "get", "400", "key",
                () -> http.get("/discover/one?name=orders&strategy=consistent_hash"));
        check(matched, "/discover/one", "get", "404", null, () -> http.get("/discover/one?name=orders"));
        check(matched, "/watch", "get", "400", "unknown-parameter", () -> http.get("/watch?service=orders"));
        check(matched, "/watch", "get", "400", "last-event-id", () -> http.send(HttpRequest.newBuilder(
                URI.create(http.base() + "/watch?name=orders")).header("Last-Event-ID", "abc").GET()));
        String drain = "/services/{name}/instances/{id}/status";
        check(matched, drain, "put", "400", "invalid", () -> http.put(DRAIN, "{\"status\":\"DRAINING\"}"));
        check(matched, drain, "put", "400", "missing", () -> http.put(DRAIN, "{}"));
        check(matched, drain, "put", "404", null, () -> http.put(DRAIN, "{\"status\":\"UP\"}"));
        check(matched, "/report", "post", "400", "invalid",
                () -> http.post("/report", "{\"name\":\"orders\",\"id\":\"10.0.0.5:8080\",\"outcome\":\"meh\"}"));
        check(matched, "/report", "post", "404", null,
                () -> http.post("/report", "{\"name\":\"orders\",\"id\":\"10.0.0.5:8080\",\"outcome\":\"failure\"}"));
        check(matched, "/prometheus/targets", "get", "400", "unknown-parameter",
                () -> http.get("/prometheus/targets?service=orders"));
        String registration = bodyExample("/eureka/apps/{app}", "post", "spring-cloud");
        check(matched, "/eureka/apps/{app}", "post", "400", "invalid",
                () -> http.post(EUREKA, registration.replace("\"app\":\"ORDERS\"", "\"app\":\"PAYMENTS\"")));
        check(matched, "/eureka/apps/{app}", "post", "400", "missing", () -> http.post(EUREKA, ""));
        check(matched, "/eureka/apps/{app}", "post", "415", null, () -> http.send(HttpRequest.newBuilder(
                URI.create(http.base() + EUREKA)).header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString("<instance/>"))));
        check(matched, "/eureka/apps/{app}/{id}", "put", "404", "not-registered", () -> http.put(EUREKA_ID, null));
        check(matched, "/eureka/apps/{app}/{id}", "delete", "404", null, () -> http.delete(EUREKA_ID));
        check(matched, "/eureka/apps/{app}/{id}/status", "put", "400", "invalid",
                () -> http.put(EUREKA_ID + "/status?value=BUSY", null));
        check(matched, "/eureka/apps/{app}/{id}/status", "delete", "404", null,
                () -> http.delete(EUREKA_ID + "/status"));
        check(matched, "/eureka/apps/{app}/{id}/status", "put", "404", null,
                () -> http.put(EUREKA_ID + "/status?value=OUT_OF_SERVICE", null));
        check(matched, "/eureka/apps/{app}/{id}/metadata", "put", "404", null,
                () -> http.put(EUREKA_ID + "/metadata?team=payments", null));
        String large = "{\"pad\":\"" + "x".repeat(70_000) + "\"}";
        check(matched, "/report", "post", "413", null, () -> http.post("/report", large));
        check(matched, "/eureka/apps/{app}", "post", "413", null, () -> http.post(EUREKA, large));
        check(matched, "/eureka/apps/{app}", "get", "404", null, () -> http.get("/eureka/apps/PAYMENTS"));
        check(matched, "/eureka/instances/{id}", "get", "404", null,
                () -> http.get("/eureka/instances/10.0.0.9:orders:8080"));

        // the documented Eureka registration is accepted as it stands
        assertThat(http.post(EUREKA, registration).statusCode()).isEqualTo(204);
        String entries = IntStream.range(0, 63).mapToObj(i -> "k" + i + "=v").collect(Collectors.joining("&"));
        check(matched, "/eureka/apps/{app}/{id}/metadata", "put", "400", "invalid",
                () -> http.put(EUREKA_ID + "/metadata?" + entries, null));
        check(matched, "/eureka/apps/{app}/{id}", "put", "404", "out-of-date",
                () -> http.put(EUREKA_ID + "?lastDirtyTimestamp=1767225600001", null));
        assertThat(matched).hasSize(26);
    }

    @Test
    void documentedRequestBodiesAreAccepted() {
        assertThat(http.post("/register", bodyExample("/register", "post", "http-check")).statusCode()).isEqualTo(201);
        assertThat(http.post("/register", bodyExample("/register", "post", "http-check")
                .replace("10.0.0.5", "10.0.0.6")).statusCode()).isEqualTo(201);
        String drain = "/services/{name}/instances/{id}/status";
        assertThat(http.put(DRAIN, bodyExample(drain, "put", "drain")).statusCode()).isEqualTo(200);
        assertThat(Http.json(http.get("/services/orders/instances/10.0.0.5:8080")).get("status").asString())
                .isEqualTo("OUT_OF_SERVICE");
        assertThat(http.put(DRAIN, bodyExample(drain, "put", "undrain")).statusCode()).isEqualTo(200);
        for (String form : List.of("single", "array", "batch")) {
            HttpResponse<String> response = http.post("/report", bodyExample("/report", "post", form));
            assertThat(response.statusCode()).as(form + ": " + response.body()).isEqualTo(200);
            assertThat(Http.json(response).get("accepted").asInt()).isEqualTo(form.equals("single") ? 1 : 2);
        }
    }

    @Test
    void documentedEurekaBodiesHaveTheRealFields() {
        assertThat(http.post(EUREKA, bodyExample("/eureka/apps/{app}", "post", "spring-cloud")).statusCode())
                .isEqualTo(204);
        JsonNode documented = paths.at("/~1eureka~1apps~1{app}~1{id}/get/responses/200/content/application~1json/example");
        HttpResponse<String> real = http.send(HttpRequest.newBuilder(URI.create(http.base() + EUREKA_ID))
                .header("Accept", "application/json").GET());
        assertThat(real.statusCode()).isEqualTo(200);
        assertThat(documented.get("instance").propertyNames())
                .containsExactlyInAnyOrderElementsOf(Http.json(real).get("instance").propertyNames());
        assertThat(documented.at("/instance/leaseInfo").propertyNames())
                .containsExactlyInAnyOrderElementsOf(Http.json(real).at("/instance/leaseInfo").propertyNames());
        JsonNode full = paths.at("/~1eureka~1apps/get/responses/200/content/application~1json/example/applications");
        JsonNode realFull = Http.json(http.send(HttpRequest.newBuilder(URI.create(http.base() + "/eureka/apps"))
                .header("Accept", "application/json").GET())).get("applications");
        assertThat(full.propertyNames()).containsExactlyInAnyOrderElementsOf(realFull.propertyNames());
    }

    /** Sends a request and compares its problem answer with the documented example. */
    private void check(List<String> matched, String path, String method, String status, String example,
            Supplier<HttpResponse<String>> request) {
        JsonNode content = paths.path(path).path(method).path("responses").path(status).path("content")
                .path("application/problem+json");
        JsonNode documented = example == null ? content.path("example")
                : content.at("/examples/" + example + "/value");
        String what = method.toUpperCase() + " " + path + " " + status + " " + (example == null ? "" : example);
        assertThat(documented.isObject()).as("documented example of " + what).isTrue();
        HttpResponse<String> response = request.get();
        assertThat(response.statusCode()).as(what + ": " + response.body()).isEqualTo(Integer.parseInt(status));
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode real = Http.json(response);
        for (String field : List.of("status", "title", "detail", "instance", "errors")) {
            assertThat(documented.path(field)).as(field + " of " + what).isEqualTo(real.path(field));
        }
        matched.add(what);
    }

    /** A documented request body example, as the JSON text a client would send. */
    private String bodyExample(String path, String method, String example) {
        JsonNode value = paths.path(path).path(method).at("/requestBody/content/application~1json/examples/"
                + example + "/value");
        assertThat(value.isMissingNode()).as("body example " + example + " of " + path).isFalse();
        return value.isString() ? value.asString() : Http.JSON.writeValueAsString(value);
    }
}
