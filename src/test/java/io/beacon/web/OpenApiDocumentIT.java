package io.beacon.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.support.Http;
import io.beacon.support.TestClockConfiguration;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document lists every public endpoint. The expected list comes from Spring MVC's own
 * mappings (every handler in {@code io.beacon}), so endpoints added later are checked without editing
 * this test; actuator, the error controller and springdoc's own endpoints are not Beacon's API.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestClockConfiguration.class)
class OpenApiDocumentIT {

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    Http http;
    JsonNode doc;

    @BeforeEach
    void fetch() {
        http = new Http(port);
        HttpResponse<String> response = http.get("/v3/api-docs");
        assertThat(response.statusCode()).isEqualTo(200);
        doc = Http.json(response);
    }

    @Test
    void documentListsEveryBeaconEndpointWithItsMethods() {
        List<String> expected = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mappings.getHandlerMethods().entrySet()) {
            if (!e.getValue().getBeanType().getPackageName().startsWith("io.beacon")
                    || ErrorController.class.isAssignableFrom(e.getValue().getBeanType())) {
                continue;
            }
            RequestMappingInfo info = e.getKey();
            for (String pattern : info.getPatternValues()) {
                String path = pattern.replaceAll("\\{([^}:]+):[^}]*}", "{$1}");
                var methods = info.getMethodsCondition().getMethods();
                if (methods.isEmpty()) {
                    expected.add("ANY " + path);
                }
                for (RequestMethod m : methods) {
                    expected.add(m.name() + " " + path);
                }
            }
        }
        assertThat(expected).as("Beacon's own endpoints").contains("POST /register", "GET /discover",
                "PUT /services/{name}/policy");

        TreeSet<String> documented = new TreeSet<>();
        doc.get("paths").properties().forEach(p -> p.getValue().propertyNames()
                .forEach(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey())));
        for (String endpoint : expected) {
            if (endpoint.startsWith("ANY ")) {
                String path = endpoint.substring(4);
                assertThat(documented).as("an operation for " + path)
                        .anyMatch(d -> d.endsWith(" " + path));
            } else {
                assertThat(documented).as("documented endpoints").contains(endpoint);
            }
        }
        assertThat(documented).noneMatch(d -> d.contains("/actuator") || d.contains("/error")
                || d.contains("/v3/api-docs"));
    }

    @Test
    void documentCarriesTitleVersionAndDescription() {
        JsonNode info = doc.get("info");
        assertThat(info.get("title").asString()).isEqualTo(OpenApiConfiguration.TITLE);
        assertThat(info.get("version").asString()).isNotBlank();
        assertThat(info.get("description").asString()).contains("POST /register", "problem+json");
    }

    @Test
    void problemResponsesAreDocumentedAsProblemJsonWithExamples() {
        JsonNode register = doc.at("/paths/~1register/post");
        assertThat(register.at("/responses/400/content").has("application/problem+json")).isTrue();
        assertThat(register.at("/responses/400/content/application~1problem+json/examples/invalid/value/status")
                .asInt()).isEqualTo(400);
        assertThat(register.at("/requestBody/content/application~1json/examples/http-check/value/name").asString())
                .isEqualTo("orders");
        JsonNode heartbeat = doc.at("/paths/~1heartbeat~1{name}~1{id}/put");
        assertThat(heartbeat.at("/responses/404/content").has("application/problem+json")).isTrue();
        assertThat(heartbeat.at("/parameters/0/example").asString()).isEqualTo("orders");

        JsonNode discover = doc.at("/paths/~1discover/get");
        List<String> params = new ArrayList<>();
        discover.get("parameters").forEach(p -> params.add(p.get("name").asString()));
        assertThat(params).containsExactlyInAnyOrder("name", "tag", "zone", "version", "status", "meta.KEY", "index", "wait");
        assertThat(doc.at("/paths/~1services~1{name}/get/responses/404/content").has("application/problem+json"))
                .isTrue();
        assertThat(doc.at("/paths/~1services~1{name}~1policy/put/responses/400/content")
                .has("application/problem+json")).isTrue();
    }

    /** Endpoints whose documentation issue 8 asked for; each must carry at least one example. */
    static final List<String> ISSUE_8_ENDPOINTS = List.of(
            "GET /discover/one",
            "GET /watch",
            "PUT /services/{name}/instances/{id}/status",
            "POST /report",
            "POST /eureka/apps/{app}",
            "PUT /eureka/apps/{app}/{id}",
            "DELETE /eureka/apps/{app}/{id}",
            "PUT /eureka/apps/{app}/{id}/status",
            "DELETE /eureka/apps/{app}/{id}/status",
            "PUT /eureka/apps/{app}/{id}/metadata",
            "GET /eureka/apps",
            "GET /eureka/apps/delta",
            "GET /eureka/apps/{app}",
            "GET /eureka/apps/{app}/{id}",
            "GET /eureka/instances/{id}",
            "GET /eureka/vips/{vip}",
            "GET /eureka/svips/{svip}",
            "GET /prometheus/targets");

    @Test
    void everyOperationHasASummary() {
        Map<String, JsonNode> operations = operations();
        assertThat(operations).hasSizeGreaterThan(ISSUE_8_ENDPOINTS.size());
        operations.forEach((endpoint, op) -> assertThat(op.path("summary").asString(""))
                .as("summary of " + endpoint).isNotBlank());
    }

    @Test
    void everyDocumentedClientErrorIsProblemJson() {
        List<String> checked = new ArrayList<>();
        operations().forEach((endpoint, op) -> op.path("responses").properties().forEach(r -> {
            if (r.getKey().startsWith("4")) {
                JsonNode content = r.getValue().path("content");
                assertThat(content.has("application/problem+json"))
                        .as(r.getKey() + " of " + endpoint + " is application/problem+json").isTrue();
                assertThat(content.propertyNames()).as("media types of " + r.getKey() + " of " + endpoint)
                        .containsOnly("application/problem+json");
                JsonNode problem = content.get("application/problem+json");
                assertThat(problem.has("example") || problem.has("examples"))
                        .as("an example of " + r.getKey() + " of " + endpoint).isTrue();
                checked.add(r.getKey() + " " + endpoint);
            }
        }));
        assertThat(checked).as("documented client errors").contains("400 GET /discover/one",
                "404 GET /discover/one", "400 GET /watch", "404 PUT /services/{name}/instances/{id}/status",
                "400 POST /report", "404 POST /report", "415 POST /eureka/apps/{app}",
                "404 PUT /eureka/apps/{app}/{id}", "400 GET /prometheus/targets");
    }

    @Test
    void issue8EndpointsCarryExamplesAndTags() {
        Map<String, JsonNode> operations = operations();
        for (String endpoint : ISSUE_8_ENDPOINTS) {
            JsonNode op = operations.get(endpoint);
            assertThat(op).as(endpoint + " is documented").isNotNull();
            assertThat(op.findValues("example").size() + op.findValues("examples").size())
                    .as("examples of " + endpoint).isPositive();
            if (endpoint.contains("/eureka/")) {
                assertThat(op.path("tags").get(0).asString()).as("tag of " + endpoint)
                        .isEqualTo("Eureka compatibility");
            }
        }
        JsonNode watch = operations.get("GET /watch");
        assertThat(watch.at("/responses/200/content/text~1event-stream/examples/snapshot/value").asString())
                .startsWith("id: ").contains("\nevent: snapshot\ndata: {").endsWith("\n\n");
        assertThat(watch.at("/responses/200/content/text~1event-stream/examples/change/value").asString())
                .contains("\nevent: status_changed\n");
        assertThat(watch.get("description").asString()).contains("registered", "updated", "status_changed",
                "deregistered", "evicted", "Last-Event-ID");
        assertThat(parameterNames(watch)).containsExactlyInAnyOrder("name", "Last-Event-ID");
        assertThat(parameterNames(operations.get("GET /discover/one"))).containsExactlyInAnyOrder("name", "tag",
                "zone", "version", "status", "meta.KEY", "strategy", "key", "prefer_zone");
        assertThat(operations.get("POST /report").at("/requestBody/content/application~1json/examples")
                .propertyNames()).containsExactlyInAnyOrder("single", "array", "batch");
        JsonNode full = operations.get("GET /eureka/apps").at("/responses/200/content");
        assertThat(full.propertyNames()).containsExactlyInAnyOrder("application/json", "application/xml");
        assertThat(operations.get("GET /eureka/apps").at("/responses/200/headers").has("Content-Encoding")).isTrue();
        assertThat(parameterNames(operations.get("GET /eureka/apps"))).contains("Accept-Encoding");
        assertThat(parameterNames(operations.get("GET /prometheus/targets"))).containsExactly("name");
    }

    /** Every operation of the document by {@code METHOD path}. */
    private Map<String, JsonNode> operations() {
        Map<String, JsonNode> operations = new TreeMap<>();
        doc.get("paths").properties().forEach(p -> p.getValue().properties().forEach(m -> operations
                .put(m.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey(), m.getValue())));
        return operations;
    }

    private static List<String> parameterNames(JsonNode operation) {
        List<String> names = new ArrayList<>();
        operation.path("parameters").forEach(p -> names.add(p.get("name").asString()));
        return names;
    }

    @Test
    void swaggerUiIsServed() {
        HttpResponse<String> ui = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(http.base() + "/swagger-ui/index.html")).GET());
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger-ui");
        HttpResponse<String> entry = http.get("/swagger-ui.html");
        assertThat(entry.statusCode()).isEqualTo(302);
        assertThat(entry.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l)
                .contains("/swagger-ui/index.html"));
    }
}
