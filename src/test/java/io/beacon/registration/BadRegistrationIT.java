package io.beacon.registration;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.support.Http;
import io.beacon.support.TestClockConfiguration;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * A table of bad registrations, each with its exact status and an {@code application/problem+json}
 * body, then proof that none of them changed the registry. Every row that names a service names
 * {@value #TARGET} (or re-registers the seeded instance), so a row that slipped through would show.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "beacon.sweep.interval=1h")
@Import(TestClockConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadRegistrationIT {

    static final String TARGET = "table-target";
    static final String SEED = "table-seed";
    private static final int MIB = 1024 * 1024;

    @LocalServerPort
    int port;

    private Http http;
    private String catalogBefore;
    private String seedBefore;
    private String seedIndexBefore;

    /** One bad request: how to send it and the status it must get. */
    record Row(String method, String path, String contentType, byte[] body, boolean chunked) {
        HttpRequest.Builder build(String base) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                    : HttpRequest.BodyPublishers.ofByteArray(body);
            return b.method(method, publisher);
        }

        @Override
        public String toString() {
            return method + " " + path + (body == null ? "" : " (" + body.length + " bytes"
                    + (chunked ? ", chunked" : "") + ")");
        }
    }

    private static Row json(String body) {
        return new Row("POST", "/register", "application/json", body.getBytes(StandardCharsets.UTF_8), false);
    }

    /** A registration of {@value #TARGET} with {@code fields} replacing or adding to the valid ones. */
    private static Row target(String fields) {
        return json("{\"name\":\"" + TARGET + "\",\"address\":\"10.9.9.9\",\"port\":9000," + fields + "}");
    }

    private static Row named(String name) {
        return json("{\"name\":\"" + name + "\",\"address\":\"10.9.9.9\",\"port\":9000}");
    }

    private static String metadata(int entries) {
        return IntStream.range(0, entries).mapToObj(i -> "\"k" + i + "\":\"v\"")
                .collect(Collectors.joining(",", "\"metadata\":{", "}"));
    }

    private static byte[] huge() {
        String padding = "x".repeat(MIB);
        return ("{\"name\":\"" + TARGET + "\",\"address\":\"10.9.9.9\",\"port\":9000,\"metadata\":{\"pad\":\""
                + padding + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    static Stream<Arguments> table() {
        String valid = "{\"name\":\"" + TARGET + "\",\"address\":\"10.9.9.9\",\"port\":9000}";
        byte[] validBytes = valid.getBytes(StandardCharsets.UTF_8);
        byte[] badUtf8 = ("{\"name\":\"" + TARGET + "\",\"address\":\"10.9.9.9\",\"port\":9000,\"zone\":\"\u00ff\"}")
                .getBytes(StandardCharsets.ISO_8859_1);
        return Stream.of(
                Arguments.of("missing name", json("{\"address\":\"10.9.9.9\",\"port\":9000}"), 400),
                Arguments.of("missing address", json("{\"name\":\"" + TARGET + "\",\"port\":9000}"), 400),
                Arguments.of("missing port", json("{\"name\":\"" + TARGET + "\",\"address\":\"10.9.9.9\"}"), 400),
                Arguments.of("empty object", json("{}"), 400),
                Arguments.of("port 0", target("\"port\":0"), 400),
                Arguments.of("port 70000", target("\"port\":70000"), 400),
                Arguments.of("port -1", target("\"port\":-1"), 400),
                Arguments.of("port beyond int", target("\"port\":4294967297"), 400),
                Arguments.of("name with spaces", named("table target"), 400),
                Arguments.of("name with Cyrillic look-alike", named("t\u0430ble-target"), 400),
                Arguments.of("name with zero-width space", named("table\u200b-target"), 400),
                Arguments.of("name with zero-width joiner", named("table-target\u200d"), 400),
                Arguments.of("name of 254 characters", named("t".repeat(254)), 400),
                Arguments.of("name with a slash", named("table/target"), 400),
                Arguments.of("blank name", named("   "), 400),
                Arguments.of("bad IPv4 address", target("\"address\":\"10.0.0.300\""), 400),
                Arguments.of("address with a path", target("\"address\":\"http://10.0.0.1/\""), 400),
                Arguments.of("id with a slash", target("\"id\":\"a/b\""), 400),
                Arguments.of("10k metadata entries (body over 64 KiB)", target(metadata(10_000)), 413),
                Arguments.of("65 metadata entries", target(metadata(65)), 400),
                Arguments.of("129-char metadata key", target("\"metadata\":{\"" + "k".repeat(129) + "\":\"v\"}"), 400),
                Arguments.of("1025-char metadata value", target("\"metadata\":{\"k\":\"" + "v".repeat(1025) + "\"}"),
                        400),
                Arguments.of("null metadata value", target("\"metadata\":{\"k\":null}"), 400),
                Arguments.of("metadata as a list", target("\"metadata\":[\"a\"]"), 400),
                Arguments.of("33 tags", target(IntStream.range(0, 33).mapToObj(i -> "\"t" + i + "\"")
                        .collect(Collectors.joining(",", "\"tags\":[", "]"))), 400),
                Arguments.of("tags as an object", target("\"tags\":{\"a\":\"b\"}"), 400),
                Arguments.of("1 MiB body with Content-Length",
                        new Row("POST", "/register", "application/json", huge(), false), 413),
                Arguments.of("1 MiB chunked body", new Row("POST", "/register", "application/json", huge(), true), 413),
                Arguments.of("not JSON", json("name=table-target&port=9000"), 400),
                Arguments.of("truncated JSON", json("{\"name\":\"" + TARGET + "\",\"address\":"), 400),
                Arguments.of("invalid UTF-8", new Row("POST", "/register", "application/json", badUtf8, false), 400),
                Arguments.of("empty body", json(""), 400),
                Arguments.of("JSON null", json("null"), 400),
                Arguments.of("JSON array body", json("[" + valid + "]"), 400),
                Arguments.of("JSON string body", json("\"" + TARGET + "\""), 400),
                Arguments.of("port \"abc\"", target("\"port\":\"abc\""), 400),
                Arguments.of("port true", target("\"port\":true"), 400),
                Arguments.of("port [1]", target("\"port\":[1]"), 400),
                Arguments.of("port {}", target("\"port\":{}"), 400),
                Arguments.of("name as an object", json("{\"name\":{},\"address\":\"10.9.9.9\",\"port\":9000}"), 400),
                Arguments.of("weight 0", target("\"weight\":0"), 400),
                Arguments.of("weight 1001", target("\"weight\":1001"), 400),
                Arguments.of("leaseSeconds 4 (under the minimum)", target("\"leaseSeconds\":4"), 400),
                Arguments.of("leaseSeconds 3601 (over the maximum)", target("\"leaseSeconds\":3601"), 400),
                Arguments.of("leaseSeconds 0", target("\"leaseSeconds\":0"), 400),
                Arguments.of("re-registration of the seed with weight 0",
                        json("{\"name\":\"" + SEED + "\",\"address\":\"10.8.8.8\",\"port\":8000,\"weight\":0}"), 400),
                Arguments.of("Content-Type text/plain",
                        new Row("POST", "/register", "text/plain", validBytes, false), 415),
                Arguments.of("Content-Type application/xml",
                        new Row("POST", "/register", "application/xml", validBytes, false), 415),
                Arguments.of("no Content-Type", new Row("POST", "/register", null, validBytes, false), 415),
                Arguments.of("GET /register", new Row("GET", "/register", null, null, false), 405),
                Arguments.of("PUT /register", new Row("PUT", "/register", "application/json", validBytes, false), 405),
                Arguments.of("DELETE /register", new Row("DELETE", "/register", null, null, false), 405),
                Arguments.of("unknown path", new Row("POST", "/registr", "application/json", validBytes, false), 404),
                Arguments.of("unknown nested path", new Row("POST", "/register/" + TARGET, "application/json",
                        validBytes, false), 404));
    }

    @BeforeAll
    void seedAndSnapshot() {
        http = new Http(port);
        HttpResponse<String> seeded = http.post("/register",
                "{\"name\":\"" + SEED + "\",\"address\":\"10.8.8.8\",\"port\":8000,\"weight\":5}");
        assertThat(seeded.statusCode()).isIn(200, 201);
        catalogBefore = http.get("/services").body();
        seedBefore = http.get("/services/" + SEED).body();
        seedIndexBefore = http.get("/services/" + SEED).headers().firstValue("X-Beacon-Index").orElseThrow();
    }

    @Order(1)
    @ParameterizedTest(name = "[{index}] {0} -> {2}")
    @MethodSource("table")
    void isRejected(String description, Row row, int status) {
        HttpResponse<String> response = http.send(row.build(http.base()));

        assertThat(response.statusCode()).as(description + ": " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as(description)
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonNode problem = Http.json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).as("detail a user can act on").isNotBlank()
                .doesNotContain("Exception").doesNotContain("\tat ");
        if (status == 400 && row.body() != null && row.body().length > 0 && row.body()[0] == '{'
                && !description.contains("JSON") && !description.contains("UTF-8")) {
            assertThat(problem.has("errors")).as("validation names the offending field: " + response.body())
                    .isTrue();
            assertThat(problem.get("errors").get(0).get("field").asString()).isNotBlank();
        }
    }

    @AfterAll
    void registryIsUnchanged() {
        assertThat(http.get("/services").body()).isEqualTo(catalogBefore);
        HttpResponse<String> seed = http.get("/services/" + SEED);
        assertThat(seed.body()).isEqualTo(seedBefore);
        assertThat(seed.headers().firstValue("X-Beacon-Index")).hasValue(seedIndexBefore);
        assertThat(http.get("/services/" + TARGET).statusCode()).isEqualTo(404);
        HttpResponse<String> target = http.get("/discover?name=" + TARGET);
        assertThat(Http.json(target).get("count").asInt()).isZero();
        assertThat(target.headers().firstValue("X-Beacon-Index")).hasValue("0");
    }
}
