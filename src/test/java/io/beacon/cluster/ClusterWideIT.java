package io.beacon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.ServiceName;
import io.beacon.support.Browser;
import io.beacon.support.Http;
import io.beacon.support.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import tools.jackson.databind.JsonNode;

/**
 * The cluster as one registry, through any member: the same index on every member for the same state,
 * a long poll and an SSE stream resumed on another member with an index from the first, drains and
 * status overrides (native and Eureka) and per-instance leases, counters that count a change once when
 * summed over the members, the web console of any member (its member list and the expiry role, a change
 * made elsewhere shown live, a drain pressed there in force everywhere), and the expiry role moving when its
 * holder leaves (last, it stops a member).
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterWideIT {

    static final MutableClock clock = new MutableClock();
    static TestCluster cluster;
    static ClusterMember a;
    static ClusterMember b;
    static ClusterMember c;
    /** Leases of earlier tests lapse as the shared clock moves; self-preservation would hold evictions back. */
    static final List<String> ARGS = List.of("--beacon.self-preservation.enabled=false");

    @BeforeAll
    static void formCluster() {
        cluster = TestCluster.ofThree(clock, ARGS);
        a = cluster.a;
        b = cluster.b;
        c = cluster.c;
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static List<ClusterMember> members() {
        return Stream.of(a, b, c).filter(ClusterMember::isRunning).toList();
    }

    static JsonNode health(ClusterMember m) {
        return Http.json(m.http.get("/actuator/health")).at("/components/cluster/details");
    }

    static String registration(String service, String id, String extra) {
        return "{\"name\":\"" + service + "\",\"id\":\"" + id + "\",\"address\":\"10.3.0.1\",\"port\":8080" + extra + "}";
    }

    static long index(ClusterMember m, String service) {
        return m.registry().index(ServiceName.of(service));
    }

    static void assertSameIndexEverywhere(String service) {
        long expected = index(a, service);
        for (ClusterMember m : members()) {
            assertThat(index(m, service)).as(m.name + " index of " + service).isEqualTo(expected);
        }
    }

    static InstanceStatus status(ClusterMember m, String service, String id) {
        return m.registry().get(InstanceKey.of(service, id)).map(Instance::status).orElse(null);
    }

    @Test
    @Order(1)
    void aServiceHasTheSameIndexOnEveryMemberAndItRisesWithEveryChangeWhereverItWasMade() {
        long before = index(a, "idx");
        assertThat(a.http.post("/register", registration("idx", "i-1", "")).statusCode()).isEqualTo(201);
        assertSameIndexEverywhere("idx");
        long registered = index(b, "idx");
        assertThat(registered).isGreaterThan(before);

        assertThat(b.http.put("/services/idx/instances/i-1/status", "{\"status\":\"OUT_OF_SERVICE\"}").statusCode())
                .isEqualTo(200);
        assertSameIndexEverywhere("idx");
        long drained = index(c, "idx");
        assertThat(drained).isGreaterThan(registered);

        assertThat(c.http.post("/register", registration("idx", "i-2", "")).statusCode()).isEqualTo(201);
        assertThat(c.http.delete("/deregister/idx/i-2").statusCode()).isEqualTo(204);
        assertSameIndexEverywhere("idx");
        assertThat(index(a, "idx")).isGreaterThan(drained);

        // a heartbeat changes nothing a watcher sees: the index stays, on every member
        long quiet = index(a, "idx");
        assertThat(b.http.put("/heartbeat/idx/i-1", null).statusCode()).isEqualTo(200);
        assertSameIndexEverywhere("idx");
        assertThat(index(a, "idx")).isEqualTo(quiet);
    }

    @Test
    @Order(2)
    void aLongPollOnBWithAnIndexFromAAnswersTheChangeMadeOnC() throws Exception {
        assertThat(a.http.post("/register", registration("poll", "p-1", "")).statusCode()).isEqualTo(201);
        HttpResponse<String> first = a.http.get("/discover?name=poll");
        long seen = Long.parseLong(first.headers().firstValue("X-Beacon-Index").orElseThrow());

        CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(
                () -> b.http.get("/discover?name=poll&index=" + seen + "&wait=60s"));
        // B holds the request: the index it was given is its own current one
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !waiting.isDone());
        assertThat(c.http.post("/register", registration("poll", "p-2", "")).statusCode()).isEqualTo(201);

        HttpResponse<String> answer = waiting.get(30, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        long after = Long.parseLong(answer.headers().firstValue("X-Beacon-Index").orElseThrow());
        assertThat(after).isGreaterThan(seen).isEqualTo(index(a, "poll"));
        assertThat(Http.json(answer).at("/count").asInt()).isEqualTo(2);
    }

    @Test
    @Order(3)
    void anSseStreamResumedOnBWithTheLastEventIdFromAReplaysTheChangesItMissed() throws Exception {
        assertThat(a.http.post("/register", registration("sse", "s-1", "")).statusCode()).isEqualTo(201);
        String lastId;
        try (Sse stream = Sse.open(a, "/watch?name=sse", null)) {
            Sse.Event snapshot = stream.next();
            assertThat(snapshot.name()).isEqualTo("snapshot");
            lastId = snapshot.id();
        }
        assertThat(c.http.post("/register", registration("sse", "s-2", "")).statusCode()).isEqualTo(201);
        assertThat(a.http.put("/services/sse/instances/s-1/status", "{\"status\":\"OUT_OF_SERVICE\"}").statusCode())
                .isEqualTo(200);
        try (Sse stream = Sse.open(b, "/watch?name=sse", lastId)) {
            Sse.Event missed1 = stream.next();
            Sse.Event missed2 = stream.next();
            assertThat(missed1.name()).isEqualTo("registered");
            assertThat(missed1.data()).contains("s-2");
            assertThat(missed2.name()).isEqualTo("status_changed");
            assertThat(Long.parseLong(missed2.id())).isGreaterThan(Long.parseLong(missed1.id()))
                    .isEqualTo(index(c, "sse"));
        }
    }

    @Test
    @Order(4)
    void drainsOverridesAndPerInstanceLeasesBehaveTheSameThroughAnyMember() {
        assertThat(a.http.post("/register", registration("same", "d-1", ",\"leaseSeconds\":5")).statusCode())
                .isEqualTo(201);
        assertThat(a.http.post("/register", registration("same", "d-2", "")).statusCode()).isEqualTo(201);
        // a drain through B hides the instance on A and C
        assertThat(b.http.put("/services/same/instances/d-2/status", "{\"status\":\"OUT_OF_SERVICE\"}").statusCode())
                .isEqualTo(200);
        for (ClusterMember m : members()) {
            assertThat(status(m, "same", "d-2")).as(m.name).isEqualTo(InstanceStatus.OUT_OF_SERVICE);
            assertThat(Http.json(m.http.get("/discover?name=same")).at("/count").asInt()).as(m.name).isEqualTo(1);
        }
        // the Eureka override through C is lifted through A, and every member sees each step
        assertThat(c.http.put("/eureka/apps/SAME/d-1/status?value=OUT_OF_SERVICE", null).statusCode()).isEqualTo(200);
        for (ClusterMember m : members()) {
            assertThat(status(m, "same", "d-1")).as(m.name).isEqualTo(InstanceStatus.OUT_OF_SERVICE);
        }
        assertThat(a.http.delete("/eureka/apps/SAME/d-1/status").statusCode()).isEqualTo(200);
        for (ClusterMember m : members()) {
            assertThat(status(m, "same", "d-1")).as(m.name).isEqualTo(InstanceStatus.UP);
        }
        // d-1's own 5 s lease lapses before the default 30 s one of d-2, on every member
        clock.advance(Duration.ofSeconds(6));
        a.sweeper().sweep(clock.instant());
        for (ClusterMember m : members()) {
            assertThat(status(m, "same", "d-1")).as(m.name).isEqualTo(InstanceStatus.STALE);
            assertThat(m.registry().get(InstanceKey.of("same", "d-2")).orElseThrow().state().stale()).isFalse();
        }
        // a heartbeat through C brings it back everywhere
        assertThat(c.http.put("/heartbeat/same/d-1", null).statusCode()).isEqualTo(200);
        for (ClusterMember m : members()) {
            assertThat(status(m, "same", "d-1")).as(m.name).isEqualTo(InstanceStatus.UP);
        }
    }

    @Test
    @Order(5)
    void removalsAndStaleMarkingsCountOnceWhenSummedOverTheMembers() {
        double deregistered = sum("beacon_deregistrations_total");
        double evicted = sum("beacon_evictions_total");
        double stale = sum("beacon_stale_total");
        double registered = sum("beacon_registrations_total");
        int seen = a.events().size();
        assertThat(b.http.post("/register", registration("count", "k-1", ",\"leaseSeconds\":5")).statusCode())
                .isEqualTo(201);
        assertThat(c.http.post("/register", registration("count", "k-2", "")).statusCode()).isEqualTo(201);
        assertThat(c.http.delete("/deregister/count/k-2").statusCode()).isEqualTo(204);
        clock.advance(Duration.ofSeconds(6));
        a.sweeper().sweep(clock.instant()); // k-1 STALE
        clock.advance(Duration.ofSeconds(60));
        a.sweeper().sweep(clock.instant()); // k-1 evicted (a 5 s lease is evicted after 15 s)
        assertThat(a.registry().get(InstanceKey.of("count", "k-1"))).isEmpty();

        // every member delivers every change's event; the counters, summed over the members, count each once
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<io.beacon.registry.RegistryEvent> events = List.copyOf(a.events().subList(seen, a.events().size()));
            assertThat(sum("beacon_registrations_total") - registered).isEqualTo(2.0);
            assertThat(sum("beacon_deregistrations_total") - deregistered).isEqualTo(1.0);
            assertThat(sum("beacon_evictions_total") - evicted).isGreaterThanOrEqualTo(1.0)
                    .isEqualTo(events.stream().filter(e -> e.kind() == io.beacon.registry.RegistryEvent.Kind.EVICTED).count());
            assertThat(sum("beacon_stale_total") - stale).isGreaterThanOrEqualTo(1.0)
                    .isEqualTo(events.stream().filter(ClusterWideIT::markedStale).count());
        });
    }

    @Test
    @Order(6)
    void theConsoleOfAnyMemberShowsTheMembersTheExpiryRoleAndActsOnTheOneRegistry() throws Exception {
        Browser.assumeInstalled();
        ChromeDriver chrome = Browser.start(Files.createTempDirectory("beacon-cluster-console"));
        try {
            Duration wait = Duration.ofSeconds(20);
            String holder = health(a).get("expiryHolder").asString();
            JsonNode view = health(c);
            List<String> members = view.get("members").valueStream().map(JsonNode::asString).toList();
            chrome.get("http://127.0.0.1:" + c.httpPort + "/ui/#/");
            await().atMost(wait).ignoreExceptions().untilAsserted(() -> {
                List<WebElement> shown = chrome.findElements(By.cssSelector("#cluster-members li"));
                assertThat(shown).extracting(li -> li.getAttribute("data-member"))
                        .containsExactlyInAnyOrderElementsOf(members);
                assertThat(chrome.findElement(By.cssSelector("#cluster-members li[data-member='" + holder + "']")).getText())
                        .contains("(expiry role)");
                assertThat(chrome.findElement(By.id("cluster")).getText()).contains("This member is " + view.get("member").asString());
            });

            // registered through A, shown live on C's console; drained through C's console, in force on A
            assertThat(a.http.post("/register", registration("console", "ui-1", ",\"leaseSeconds\":3600")).statusCode())
                    .isEqualTo(201);
            chrome.findElement(By.id("filter-name")).sendKeys("console");
            await().atMost(wait).ignoreExceptions().untilAsserted(() -> assertThat(chrome.findElement(
                    By.cssSelector("#services-body tr[data-service='console'] td[data-status='UP']")).getText()).isEqualTo("1"));
            chrome.get("http://127.0.0.1:" + c.httpPort + "/ui/#/services/console");
            Browser.useToken(chrome, "operator");
            By row = By.cssSelector("#instances-body tr[data-instance='ui-1']");
            await().atMost(wait).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
                chrome.findElement(row).findElements(By.cssSelector("button[data-action='drain']"))
                        .forEach(button -> Browser.press(chrome, button));
                assertThat(status(a, "console", "ui-1")).isEqualTo(InstanceStatus.OUT_OF_SERVICE);
            });
            assertThat(Http.json(b.http.get("/discover?name=console")).get("count").asInt()).isZero();
        } finally {
            chrome.quit();
        }
    }

    /**
     * A STALE marking: a status change, or an update when the status stays (an OUT_OF_SERVICE override
     * keeps the status while the instance turns stale).
     */
    static boolean markedStale(io.beacon.registry.RegistryEvent e) {
        io.beacon.registry.Instance previous = e instanceof io.beacon.registry.RegistryEvent.StatusChanged changed
                ? changed.previous()
                : e instanceof io.beacon.registry.RegistryEvent.Updated updated ? updated.previous() : null;
        return previous != null && e.instance().state().stale() && !previous.state().stale();
    }

    static double sum(String series) {
        return members().stream().mapToDouble(m -> ClusterFaultIT.count(m, series)).sum();
    }

    @Test
    @Order(100)
    void theExpiryRoleMovesWhenItsHolderLeavesAndTheNewHolderMarksLapsedInstancesAtItsNextPass() {
        assertThat(health(b).at("/expiryHolder").asString()).isEqualTo("a");
        assertThat(ClusterFaultIT.scrape(a)).contains("beacon_cluster_role{role=\"expiry\"} 1.0");
        assertThat(b.http.post("/register", registration("failover", "f-1", "")).statusCode()).isEqualTo(201);

        a.close();
        // the survivors agree on the holder, and exactly one of them holds the role (once its cache has settled
        // on the new view: a member whose cache is not available does not hold it)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(health(b).at("/size").asInt()).isEqualTo(2);
            assertThat(health(c).at("/expiryHolder").asString()).isEqualTo(health(b).at("/expiryHolder").asString())
                    .isIn("b", "c");
            assertThat(health(b).at("/holdsExpiry").asBoolean()).isNotEqualTo(health(c).at("/holdsExpiry").asBoolean());
        });
        ClusterMember holder = health(b).at("/holdsExpiry").asBoolean() ? b : c;
        assertThat(health(b).at("/expiryHolder").asString()).isEqualTo(holder.name);
        assertThat(ClusterFaultIT.scrape(holder)).contains("beacon_cluster_role{role=\"expiry\"} 1.0");

        // nobody sweeps by hand: the new holder's own background pass (every second) marks the lapsed lease (its
        // first write may wait for the cache's new topology)
        clock.advance(Duration.ofSeconds(31));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (ClusterMember m : List.of(b, c)) {
                assertThat(status(m, "failover", "f-1")).as(m.name).isEqualTo(InstanceStatus.STALE);
            }
        });
    }

    /** A minimal Server-Sent Events reader. */
    static final class Sse implements AutoCloseable {

        record Event(String id, String name, String data) {
        }

        private final BlockingQueue<Event> events;
        private final CompletableFuture<?> body;

        private Sse(BlockingQueue<Event> events, CompletableFuture<?> body) {
            this.events = events;
            this.body = body;
        }

        static Sse open(ClusterMember m, String path, String lastEventId) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.httpPort + path))
                    .header("Accept", "text/event-stream").GET();
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
            CompletableFuture<?> body = HttpClient.newHttpClient()
                    .sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
                    .thenAccept(response -> {
                        String[] current = new String[3];
                        response.body().forEach(line -> {
                            if (line.isEmpty()) {
                                if (current[1] != null || current[2] != null) {
                                    queue.add(new Event(current[0], current[1], current[2]));
                                }
                                current[0] = null;
                                current[1] = null;
                                current[2] = null;
                            } else if (line.startsWith("id:")) {
                                current[0] = line.substring(3).trim();
                            } else if (line.startsWith("event:")) {
                                current[1] = line.substring(6).trim();
                            } else if (line.startsWith("data:")) {
                                current[2] = (current[2] == null ? "" : current[2]) + line.substring(5).trim();
                            }
                        });
                    });
            return new Sse(queue, body);
        }

        Event next() throws InterruptedException {
            Event e = events.poll(30, TimeUnit.SECONDS);
            assertThat(e).as("an event within 30 s").isNotNull();
            return e;
        }

        @Override
        public void close() {
            body.cancel(true);
        }
    }
}
