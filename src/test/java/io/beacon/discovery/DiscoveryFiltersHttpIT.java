package io.beacon.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Registry;
import io.beacon.support.Http;
import io.beacon.support.MutableClock;
import io.beacon.support.TestClockConfiguration;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/** The filters of {@code GET /discover} over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestClockConfiguration.class)
class DiscoveryFiltersHttpIT {

    private static final String SERVICE = "filters-svc";

    @LocalServerPort
    int port;

    @Autowired
    Registry registry;

    @Autowired
    MutableClock clock;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        register("a", "\"tags\":[\"blue\",\"http\"],\"zone\":\"z1\",\"version\":\"v1\",\"metadata\":{\"env\":\"prod\",\"team\":\"x\"}");
        register("b", "\"tags\":[\"green\",\"http\"],\"zone\":\"z2\",\"version\":\"v1\",\"metadata\":{\"env\":\"dev\"}");
        register("c", "\"tags\":[\"blue\"],\"zone\":\"z2\",\"version\":\"v2\",\"metadata\":{\"env\":\"prod\"}");
        register("d", "\"tags\":[\"blue\",\"http\"],\"zone\":\"z1\",\"version\":\"v2\"");
        registry.update(new InstanceKey(io.beacon.registry.ServiceName.of(SERVICE), "d"),
                i -> i.withState(i.state().withOverride(InstanceStatus.OUT_OF_SERVICE, clock.instant())));
    }

    private void register(String id, String extra) {
        HttpResponse<String> response = http.post("/register", "{\"name\":\"" + SERVICE + "\",\"id\":\"" + id
                + "\",\"address\":\"10.0.0.1\",\"port\":8080," + extra + "}");
        assertThat(response.statusCode()).isIn(200, 201);
    }

    private List<String> ids(String query) {
        HttpResponse<String> response = http.get("/discover?name=" + SERVICE + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = Http.json(response);
        List<String> ids = new ArrayList<>();
        body.get("services").forEach(n -> ids.add(n.get("id").asString()));
        assertThat(body.get("count").asInt()).isEqualTo(ids.size());
        return ids;
    }

    private JsonNode badRequest(String query) {
        HttpResponse<String> response = http.get("/discover?name=" + SERVICE + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        return Http.json(response);
    }

    @Test
    void withoutFiltersOnlyDiscoverableInstances() {
        assertThat(ids("")).containsExactly("a", "b", "c");
    }

    @Test
    void tagsAreRepeatableAndAllMustMatch() {
        assertThat(ids("&tag=blue")).containsExactly("a", "c");
        assertThat(ids("&tag=blue&tag=http")).containsExactly("a");
        assertThat(ids("&tag=blue&tag=green")).isEmpty();
    }

    @Test
    void zoneVersionAndMetadata() {
        assertThat(ids("&zone=z2")).containsExactly("b", "c");
        assertThat(ids("&version=v1")).containsExactly("a", "b");
        assertThat(ids("&meta.env=prod")).containsExactly("a", "c");
        assertThat(ids("&meta.env=prod&meta.team=x")).containsExactly("a");
        assertThat(ids("&zone=z2&version=v2&tag=blue")).containsExactly("c");
        assertThat(ids("&meta.missing=1")).isEmpty();
    }

    @Test
    void statusIncludesOtherStatusesForTooling() {
        assertThat(ids("&status=OUT_OF_SERVICE")).containsExactly("d");
        assertThat(ids("&status=up,out_of_service")).containsExactly("a", "b", "c", "d");
        assertThat(ids("&status=ANY&zone=z1")).containsExactly("a", "d");
    }

    @Test
    void unknownAndMalformedParametersAre400() {
        assertThat(badRequest("&color=red").get("errors").get(0).get("field").asString()).isEqualTo("color");
        assertThat(badRequest("&status=SLEEPING").get("errors").get(0).get("field").asString()).isEqualTo("status");
        assertThat(badRequest("&zone=z1&zone=z2").get("errors").get(0).get("field").asString()).isEqualTo("zone");
        assertThat(badRequest("&meta.env=a&meta.env=b").get("errors").get(0).get("field").asString())
                .isEqualTo("meta.env");
        assertThat(badRequest("&meta.=x").get("errors").get(0).get("field").asString()).isEqualTo("meta.");
        assertThat(badRequest("&tag=").get("errors").get(0).get("field").asString()).isEqualTo("tag");
        assertThat(badRequest("&zone=").get("errors").get(0).get("field").asString()).isEqualTo("zone");
        assertThat(badRequest("&version=").get("errors").get(0).get("field").asString()).isEqualTo("version");
        assertThat(badRequest("&strategy=random").get("errors").get(0).get("field").asString()).isEqualTo("strategy");
        HttpResponse<String> noName = http.get("/discover");
        assertThat(noName.statusCode()).isEqualTo(400);
        assertThat(Http.json(noName).get("errors").get(0).get("field").asString()).isEqualTo("name");
    }
}
