package io.beacon.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.support.Http;
import io.beacon.support.TestClockConfiguration;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
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
class OpenApiDocumentTest {

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
            if (!e.getValue().getBeanType().getPackageName().startsWith("io.beacon")) {
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
