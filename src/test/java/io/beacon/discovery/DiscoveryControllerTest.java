package io.beacon.discovery;

import io.beacon.support.BeaconWebMvcTest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.beacon.registration.RegistrationRequest;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Registry;
import io.beacon.registry.ServiceName;
import io.beacon.support.MutableClock;
import io.beacon.support.TestInstances;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP contract of {@link DiscoveryController} without a server: {@code /discover} filters and parameter
 * validation, the blocking parameters, panic mode, the answer cache, {@code /services} and the 404 problems.
 * The registry is the real in-memory one (the registry package's own configuration); long polls are mocked,
 * since holding requests needs a real connection (see LongPollHttpIT).
 */
@BeaconWebMvcTest(DiscoveryController.class)
@Import({DiscoveryCache.class, DiscoveryControllerTest.Panic.class, DiscoveryControllerTest.Facts.class})
class DiscoveryControllerTest {

    static final String SERVICE = "filters-svc";
    static final String ALLOWED = "is not a known parameter; allowed: name, tag, zone, version, status, meta.KEY, "
            + "index, wait";

    @Autowired
    MockMvcTester mvc;
    @Autowired
    Registry registry;
    @Autowired
    MutableClock clock;
    @Autowired
    JsonMapper json;
    @Autowired
    Panic panic;
    @MockitoBean
    LongPolls longPolls;

    /** Panic mode switched by the test, for {@link #SERVICE} only. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Panic implements PanicMode {
        final AtomicBoolean on = new AtomicBoolean();

        @Override
        public boolean test(io.beacon.registry.ServiceSnapshot service) {
            return on.get() && service.name().value().equals(SERVICE);
        }
    }

    /** A status fact source, as the outlier and health parts provide: every breaker CLOSED. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Facts implements io.beacon.web.StatusFacts.Source {
        @Override
        public io.beacon.web.StatusFacts of(Instance instance) {
            return new io.beacon.web.StatusFacts(null, null, null, "CLOSED");
        }
    }

    @BeforeEach
    void setUp() {
        when(longPolls.defaultWait()).thenReturn(Duration.ofSeconds(30));
        registry.instances().toList().forEach(i -> registry.deregister(i.key()));
        panic.on.set(false);
        register("a", List.of("blue", "http"), "z1", "v1", Map.of("env", "prod", "team", "x"));
        register("b", List.of("green", "http"), "z2", "v1", Map.of("env", "dev"));
        register("c", List.of("blue"), "z2", "v2", Map.of("env", "prod"));
        register("d", List.of("blue", "http"), "z1", "v2", Map.of());
        registry.update(InstanceKey.of(SERVICE, "d"),
                i -> i.withState(i.state().withOverride(InstanceStatus.OUT_OF_SERVICE, clock.instant())));
    }

    private void register(String id, List<String> tags, String zone, String version, Map<String, String> metadata) {
        Instance instance = TestInstances.validator().toInstance(new RegistrationRequest(SERVICE, "10.0.0.1", 8080, id,
                metadata, tags, zone, version, null, null, null), clock.instant());
        registry.register(instance, clock.instant());
    }

    private MvcTestResult get(String uri) {
        return mvc.get().uri(uri).exchange();
    }

    private List<String> ids(String query) {
        MvcTestResult result = get("/discover?name=" + SERVICE + query);
        assertThat(result).hasStatusOk().hasContentType(MediaType.APPLICATION_JSON);
        JsonNode body = body(result);
        List<String> ids = new ArrayList<>();
        body.get("services").forEach(n -> ids.add(n.get("id").asString()));
        assertThat(body.get("count").asInt()).isEqualTo(ids.size());
        return ids;
    }

    /** A 400 problem: its body, after checking the status, media type, title and that it names no internals. */
    private JsonNode badRequest(String uri) {
        MvcTestResult result = get(uri);
        assertThat(result).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode problem = body(result);
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("title").asString()).isEqualTo("Invalid request");
        assertThat(problem.toString()).doesNotContain("Exception", "io.beacon", "java.");
        return problem;
    }

    private static List<String> fields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        problem.get("errors").forEach(e -> fields.add(e.get("field").asString()));
        return fields;
    }

    private JsonNode body(MvcTestResult result) {
        return json.readTree(result.getResponse().getContentAsByteArray());
    }

    @Test
    void discoverAnswersDiscoverableInstancesWithTheIndex() {
        MvcTestResult result = get("/discover?name=" + SERVICE.toUpperCase());
        assertThat(result).hasStatusOk().hasContentType(MediaType.APPLICATION_JSON)
                .hasHeader("X-Beacon-Index", Long.toString(registry.index(ServiceName.of(SERVICE))))
                .doesNotContainHeader("X-Beacon-Panic");
        JsonNode body = body(result);
        assertThat(body.get("name").asString()).isEqualTo(SERVICE);
        assertThat(body.get("index").asLong()).isEqualTo(registry.index(ServiceName.of(SERVICE)));
        assertThat(body.get("count").asInt()).isEqualTo(3);
        assertThat(body.has("panic")).isFalse();
        assertThat(body.at("/services/0/id").asString()).isEqualTo("a");
        assertThat(body.at("/services/0/zone").asString()).isEqualTo("z1");
        assertThat(body.at("/services/0/status").asString()).isEqualTo("UP");
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
    void unknownServiceIsAnEmptyList() {
        MvcTestResult result = get("/discover?name=nothing");
        assertThat(result).hasStatusOk().hasHeader("X-Beacon-Index", "0");
        assertThat(body(result).get("count").asInt()).isZero();
        assertThat(body(result).get("services").isEmpty()).isTrue();
    }

    @Test
    void unknownParameterIsNamedWithTheAllowedOnes() {
        JsonNode problem = badRequest("/discover?name=" + SERVICE + "&color=red");
        assertThat(problem.get("detail").asString()).isEqualTo("Invalid 'color': " + ALLOWED);
        assertThat(problem.get("errors")).hasSize(1);
        assertThat(problem.at("/errors/0/field").asString()).isEqualTo("color");
        assertThat(problem.at("/errors/0/message").asString()).isEqualTo(ALLOWED);
        assertThat(problem.get("instance").asString()).isEqualTo("/discover");
        // a parameter of /discover/one is not one of /discover
        assertThat(fields(badRequest("/discover?name=" + SERVICE + "&strategy=random"))).containsExactly("strategy");
    }

    @Test
    void malformedParametersAreEachNamed() {
        assertThat(fields(badRequest("/discover?name=" + SERVICE + "&status=SLEEPING"))).containsExactly("status");
        assertThat(badRequest("/discover?name=" + SERVICE + "&status=SLEEPING").at("/errors/0/message").asString())
                .isEqualTo("'SLEEPING' is not one of UP, DOWN, STARTING, STALE, OUT_OF_SERVICE, ANY");
        assertThat(fields(badRequest("/discover?name=" + SERVICE + "&zone=z1&zone=z2"))).containsExactly("zone");
        assertThat(fields(badRequest("/discover?name=" + SERVICE + "&meta.env=a&meta.env=b"))).containsExactly("meta.env");
        assertThat(fields(badRequest("/discover?name=" + SERVICE + "&meta.=x"))).containsExactly("meta.");
        assertThat(fields(badRequest("/discover?name=" + SERVICE + "&tag="))).containsExactly("tag");
        assertThat(fields(badRequest("/discover?name=" + SERVICE + "&zone="))).containsExactly("zone");
        assertThat(fields(badRequest("/discover?name=" + SERVICE + "&version="))).containsExactly("version");
    }

    @Test
    void nameIsRequiredAndValidated() {
        JsonNode missing = badRequest("/discover");
        assertThat(missing.get("detail").asString()).isEqualTo("Invalid 'name': is required");
        assertThat(fields(missing)).containsExactly("name");
        JsonNode invalid = badRequest("/discover?name=bad+name!");
        assertThat(fields(invalid)).containsExactly("name");
        assertThat(invalid.at("/errors/0/message").asString())
                .isEqualTo("must be 1 to 253 characters of letters, digits, '.', '_' or '-'");
        assertThat(fields(badRequest("/discover?name=a&name=b"))).containsExactly("name");
    }

    @Test
    void everyViolationIsListedAtOnce() {
        JsonNode problem = badRequest("/discover?color=red&status=SLEEPING&zone=");
        assertThat(problem.get("detail").asString()).isEqualTo("4 fields are invalid; see 'errors'.");
        assertThat(fields(problem)).containsExactlyInAnyOrder("color", "name", "status", "zone");
    }

    @Test
    void blockingParametersAreValidatedBeforeTheRequestIsHeld() {
        JsonNode index = badRequest("/discover?name=" + SERVICE + "&index=abc");
        assertThat(index.get("detail").asString())
                .isEqualTo("Invalid 'index': 'abc' is not a number; use the X-Beacon-Index of your last response");
        assertThat(fields(badRequest("/discover?name=" + SERVICE + "&index=-1"))).containsExactly("index");
        assertThat(badRequest("/discover?name=" + SERVICE + "&index=1&wait=forever").get("detail").asString())
                .isEqualTo("Invalid 'wait': 'forever' is not a duration; use for example 500ms, 10s or 2m");
        assertThat(badRequest("/discover?name=" + SERVICE + "&index=1&wait=0s").at("/errors/0/message").asString())
                .isEqualTo("must be more than zero");
        assertThat(fields(badRequest("/discover?name=" + SERVICE + "&index=1&index=2"))).containsExactly("index");
        assertThat(fields(badRequest("/discover?name=" + SERVICE + "&wait=soon"))).containsExactly("wait");
        assertThat(fields(badRequest("/discover?index=1"))).containsExactly("name");
        verify(longPolls, never()).await(any(), any(), any(), any());
    }

    @Test
    void aValidIndexHandsTheRequestToTheLongPolls() {
        assertThat(get("/discover?name=" + SERVICE + "&index=7&wait=2m")).hasStatusOk();
        verify(longPolls).await(org.mockito.ArgumentMatchers.argThat(q -> q.name().value().equals(SERVICE)),
                org.mockito.ArgumentMatchers.eq(new BlockingParams(7L, Duration.ofMinutes(2))), any(), any());
        // wait without index does not block: answered at once
        assertThat(ids("&wait=10s")).containsExactly("a", "b", "c");
    }

    @Test
    void panicModeIsFlaggedInTheHeaderAndTheBody() {
        registry.update(InstanceKey.of(SERVICE, "a"), i -> i.withState(i.state().withEjected(true, clock.instant())));
        assertThat(ids("")).containsExactly("b", "c");
        assertThat(get("/discover?name=" + SERVICE)).doesNotContainHeader("X-Beacon-Panic");

        panic.on.set(true);
        // panic mode is decided from the service's state, so the cached answer is rebuilt on its next change
        registry.heartbeat(InstanceKey.of(SERVICE, "b"), clock.instant(), java.util.OptionalInt.empty());
        MvcTestResult result = get("/discover?name=" + SERVICE);
        assertThat(result).hasStatusOk().hasHeader("X-Beacon-Panic", "true");
        assertThat(body(result).get("panic").asBoolean()).isTrue();
        assertThat(ids("")).as("ejected UP instances come back in panic mode").containsExactly("a", "b", "c");
        assertThat(ids("&zone=z1")).as("filtered queries too").containsExactly("a");
        // an explicit status filter is not panic-mode discovery
        assertThat(get("/discover?name=" + SERVICE + "&status=UP")).doesNotContainHeader("X-Beacon-Panic");
        assertThat(ids("&status=UP")).containsExactly("a", "b", "c");
    }

    @Test
    void cachedAnswerFollowsEveryChange() {
        byte[] first = get("/discover?name=" + SERVICE).getResponse().getContentAsByteArray();
        assertThat(get("/discover?name=" + SERVICE).getResponse().getContentAsByteArray()).isEqualTo(first);
        registry.deregister(InstanceKey.of(SERVICE, "b"));
        MvcTestResult after = get("/discover?name=" + SERVICE);
        assertThat(after).hasHeader("X-Beacon-Index", Long.toString(registry.index(ServiceName.of(SERVICE))));
        assertThat(ids("")).containsExactly("a", "c");
    }

    /** The answer supplier the controller handed to the (mocked) long polls for {@code query}. */
    @SuppressWarnings("unchecked")
    private java.util.function.Supplier<LongPollAnswer> heldAnswer(String query) {
        org.mockito.Mockito.clearInvocations(longPolls);
        assertThat(get("/discover?name=" + SERVICE + query + "&index=1&wait=1s")).hasStatusOk();
        org.mockito.ArgumentCaptor<java.util.function.Supplier<LongPollAnswer>> answer =
                org.mockito.ArgumentCaptor.forClass(java.util.function.Supplier.class);
        verify(longPolls).await(any(), any(), answer.capture(), any());
        return answer.getValue();
    }

    @Test
    void aPlainLongPollIsAnsweredFromTheSharedBytesOfDiscovery() {
        java.util.function.Supplier<LongPollAnswer> held = heldAnswer("");
        MvcTestResult plain = get("/discover?name=" + SERVICE);
        LongPollAnswer first = held.get();
        LongPollAnswer second = held.get();
        assertThat(second.body()).as("one copy per change, whatever the number of polls").isSameAs(first.body());
        assertThat(first.body()).isEqualTo(plain.getResponse().getContentAsByteArray());
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.headers()).containsExactly(Map.entry("X-Beacon-Index",
                List.of(Long.toString(registry.index(ServiceName.of(SERVICE))))));

        registry.deregister(InstanceKey.of(SERVICE, "b"));
        LongPollAnswer after = held.get();
        assertThat(after.body()).isNotSameAs(first.body());
        assertThat(after.headers().get("X-Beacon-Index"))
                .containsExactly(Long.toString(registry.index(ServiceName.of(SERVICE))));
        assertThat(json.readTree(after.body()).get("count").asInt()).isEqualTo(2);
    }

    @Test
    void aPlainLongPollSeesAChangeTheCacheWasNotYetToldOf(@Autowired io.beacon.registry.RegistryVersion version) {
        // a cache that hears of no change at all: the worst case of a poll woken before the cache's listener ran
        DiscoveryController controller = new DiscoveryController(registry, java.util.Optional.empty(), longPolls,
                new DiscoveryCache(json), version, json, List.of());
        java.util.function.Supplier<LongPollAnswer>[] held = new java.util.function.Supplier[1];
        org.mockito.Mockito.doAnswer(call -> {
            held[0] = call.getArgument(2);
            return null;
        }).when(longPolls).await(any(), any(), any(), any());
        org.springframework.util.LinkedMultiValueMap<String, String> params = new org.springframework.util.LinkedMultiValueMap<>();
        params.add("name", SERVICE);
        params.add("index", "1");
        controller.awaitDiscover(params, new org.springframework.mock.web.MockHttpServletRequest(),
                new org.springframework.mock.web.MockHttpServletResponse());
        assertThat(json.readTree(held[0].get().body()).get("count").asInt()).isEqualTo(3);

        registry.deregister(InstanceKey.of(SERVICE, "b"));
        LongPollAnswer after = held[0].get();
        assertThat(after.headers().get("X-Beacon-Index"))
                .containsExactly(Long.toString(registry.index(ServiceName.of(SERVICE))));
        assertThat(json.readTree(after.body()).get("count").asInt()).isEqualTo(2);
    }

    @Test
    void aFilteredLongPollAnswersWhatTheSameQueryAnswersAtOnce() {
        registry.update(InstanceKey.of(SERVICE, "a"), i -> i.withState(i.state().withEjected(true, clock.instant())));
        panic.on.set(true);
        registry.heartbeat(InstanceKey.of(SERVICE, "b"), clock.instant(), java.util.OptionalInt.empty());
        for (String query : List.of("", "&zone=z1", "&status=ANY", "&tag=blue")) {
            LongPollAnswer held = heldAnswer(query).get();
            MvcTestResult direct = get("/discover?name=" + SERVICE + query);
            assertThat(held.body()).as(query).isEqualTo(direct.getResponse().getContentAsByteArray());
            assertThat(held.headers().get("X-Beacon-Index")).as(query)
                    .containsExactly(direct.getResponse().getHeader("X-Beacon-Index"));
            assertThat(held.headers().get("X-Beacon-Panic")).as(query)
                    .isEqualTo(query.equals("&status=ANY") ? null : List.of("true"));
        }
    }

    @Test
    void catalogCountsInstancesByStatus() {
        MvcTestResult result = get("/services");
        assertThat(result).hasStatusOk().hasContentType(MediaType.APPLICATION_JSON);
        JsonNode body = body(result);
        assertThat(body.get("count").asInt()).isEqualTo(1);
        JsonNode service = body.at("/services/0");
        assertThat(service.get("name").asString()).isEqualTo(SERVICE);
        assertThat(service.get("instances").asInt()).isEqualTo(4);
        assertThat(service.at("/statuses/UP").asLong()).isEqualTo(3);
        assertThat(service.at("/statuses/OUT_OF_SERVICE").asLong()).isEqualTo(1);
        assertThat(service.at("/statuses/STALE").asLong()).isZero();
        assertThat(service.get("index").asLong()).isEqualTo(registry.index(ServiceName.of(SERVICE)));
    }

    @Test
    void serviceListsEveryInstanceWhateverItsStatus() {
        MvcTestResult result = get("/services/" + SERVICE);
        assertThat(result).hasStatusOk()
                .hasHeader("X-Beacon-Index", Long.toString(registry.index(ServiceName.of(SERVICE))));
        JsonNode body = body(result);
        assertThat(body.get("count").asInt()).isEqualTo(4);
        assertThat(body.at("/instances/3/id").asString()).isEqualTo("d");
        assertThat(body.at("/instances/3/status").asString()).isEqualTo("OUT_OF_SERVICE");
    }

    @Test
    void onlyTheCatalogViewsExplainTheStatus() {
        JsonNode discovered = body(get("/discover?name=" + SERVICE));
        assertThat(discovered.at("/services/0/id").asString()).isNotEmpty();
        assertThat(discovered.at("/services/0").has("explanation")).isFalse();
        assertThat(discovered.at("/services/0/statusReason").asString()).isEqualTo("lease current");

        JsonNode catalog = body(get("/services/" + SERVICE));
        assertThat(catalog.at("/instances/0/explanation/cause").asString()).isEqualTo("LEASE_CURRENT");
        assertThat(catalog.at("/instances/0/explanation/breaker").asString()).isEqualTo("CLOSED");
        assertThat(catalog.at("/instances/0/explanation/sentence").asString()).startsWith("Lease current: ");
        JsonNode drained = body(get("/services/" + SERVICE + "/instances/d"));
        assertThat(drained.at("/explanation/cause").asString()).isEqualTo("DRAINED");
    }

    @Test
    void unknownServiceIs404Problem() {
        MvcTestResult result = get("/services/nothing");
        assertThat(result).hasStatus(404).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode problem = body(result);
        assertThat(problem.get("title").asString()).isEqualTo("Service not found");
        assertThat(problem.get("detail").asString()).isEqualTo("Service 'nothing' has no registered instances.");
        assertThat(problem.get("instance").asString()).isEqualTo("/services/nothing");
    }

    @Test
    void invalidServiceNameInThePathIs400Problem() {
        MvcTestResult result = mvc.get().uri("/services/{name}", "bad name!").exchange();
        assertThat(result).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode problem = body(result);
        assertThat(problem.get("title").asString()).isEqualTo("Invalid service name");
        assertThat(problem.get("detail").asString()).startsWith("Service name 'bad name!' is invalid");
        assertThat(problem.at("/errors/0/field").asString()).isEqualTo("name");
    }

    @Test
    void instanceIsShownOr404Problem() {
        MvcTestResult found = get("/services/" + SERVICE + "/instances/c");
        assertThat(found).hasStatusOk()
                .hasHeader("X-Beacon-Index", Long.toString(registry.index(ServiceName.of(SERVICE))));
        assertThat(body(found).get("version").asString()).isEqualTo("v2");
        assertThat(body(found).get("tags").get(0).asString()).isEqualTo("blue");

        MvcTestResult missing = get("/services/" + SERVICE + "/instances/zz");
        assertThat(missing).hasStatus(404).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode problem = body(missing);
        assertThat(problem.get("title").asString()).isEqualTo("Instance not found");
        assertThat(problem.get("detail").asString()).isEqualTo(
                "Instance 'zz' of service '" + SERVICE + "' is not registered. Register it again with POST /register.");
    }

    @Test
    void unknownEndpointIs404Problem() {
        MvcTestResult result = get("/discovery?name=x");
        assertThat(result).hasStatus(404).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(body(result).get("status").asInt()).isEqualTo(404);
        assertThat(body(result).get("detail").asString()).contains("discovery");
    }
}
