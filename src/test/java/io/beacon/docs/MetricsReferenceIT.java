package io.beacon.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.BeaconApplication;
import io.beacon.expiry.ExpirySweeper;
import io.beacon.support.Http;
import io.beacon.support.MutableClock;
import io.beacon.support.TestClockConfiguration;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * The metrics reference in docs/metrics.md names exactly the {@code beacon_*} metrics Beacon exports. A
 * single node goes through a register, check, heartbeat, discover, long-poll, stream, report, deregister
 * and expiry round; a one-member cluster adds the cluster-mode metrics, and a node with xDS on the xds-mode ones. Every scraped {@code beacon_*}
 * series must belong to a documented metric, and every documented metric must be scraped in its mode,
 * except the few listed in {@link #ONLY_AFTER_A_FAILURE}, which must be marked "first occurrence".
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@Import(TestClockConfiguration.class)
class MetricsReferenceIT {

    static final Path REFERENCE = Path.of("docs", "metrics.md");
    static final String ALWAYS = "always";
    static final String CLUSTER = "cluster mode";
    static final String FIRST_OCCURRENCE = "first occurrence";
    static final String XDS = "xds mode";

    /** Documented metrics that a healthy round cannot make appear: they count failures. */
    static final Set<String> ONLY_AFTER_A_FAILURE = Set.of("beacon_event_listener_errors_total");

    static final Pattern ROW = Pattern.compile("^\\|\\s*`(beacon_[a-z0-9_]+)`\\s*\\|([^|]*)\\|([^|]*)\\|([^|]*)\\|");
    static final List<String> SUFFIXES = List.of("", "_count", "_sum", "_max", "_bucket");

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    ExpirySweeper sweeper;

    @Test
    void singleNodeExportsExactlyTheDocumentedMetrics() throws Exception {
        Map<String, String> documented = documented();
        assertThat(documented).as("metrics in " + REFERENCE).containsKeys("beacon_instances", "beacon_heartbeats_total",
                "beacon_watch_wake_seconds", "beacon_cluster_members");
        assertThat(Set.copyOf(documented.values())).as("values of the Appears column")
                .isSubsetOf(ALWAYS, CLUSTER, XDS, FIRST_OCCURRENCE);
        ONLY_AFTER_A_FAILURE.forEach(name -> assertThat(documented.get(name)).as(name).isEqualTo(FIRST_OCCURRENCE));

        Http http = new Http(port);
        exerciseEveryFeature(http);
        Set<String> scraped = beaconSeries(http.get("/actuator/prometheus").body());

        assertThat(undocumented(scraped, documented)).as("exported beacon_* series missing from " + REFERENCE).isEmpty();
        for (Map.Entry<String, String> metric : documented.entrySet()) {
            boolean exported = exported(metric.getKey(), scraped);
            if (metric.getValue().equals(CLUSTER) || metric.getValue().equals(XDS)) {
                assertThat(exported).as(metric.getKey() + " is documented as " + metric.getValue() + " only").isFalse();
            } else if (!ONLY_AFTER_A_FAILURE.contains(metric.getKey())) {
                assertThat(exported).as(metric.getKey() + " is documented but not exported; scraped: " + scraped).isTrue();
            }
        }
    }

    @Test
    void clusterMemberExportsTheClusterMetrics() throws Exception {
        Map<String, String> documented = documented();
        try (ConfigurableApplicationContext member = startClusterMember()) {
            Http http = new Http(Integer.parseInt(member.getEnvironment().getProperty("local.server.port")));
            assertThat(http.post("/register", "{\"name\":\"orders\",\"address\":\"10.0.0.5\",\"port\":8080}")
                    .statusCode()).isEqualTo(201);
            assertThat(http.put("/heartbeat/orders/10.0.0.5:8080", null).statusCode()).isEqualTo(200);
            Set<String> scraped = beaconSeries(http.get("/actuator/prometheus").body());

            assertThat(undocumented(scraped, documented)).as("exported beacon_* series missing from " + REFERENCE)
                    .isEmpty();
            documented.forEach((name, appears) -> {
                if (appears.equals(CLUSTER)) {
                    assertThat(exported(name, scraped)).as(name + " in cluster mode; scraped: " + scraped).isTrue();
                }
            });
        }
    }

    @Test
    void xdsServerExportsTheXdsMetrics() {
        Map<String, String> documented = documented();
        try (ConfigurableApplicationContext xds = new SpringApplicationBuilder(BeaconApplication.class).run(
                "--server.port=0", "--server.address=127.0.0.1", "--beacon.xds.enabled=true", "--beacon.xds.port=0")) {
            Http http = new Http(Integer.parseInt(xds.getEnvironment().getProperty("local.server.port")));
            Set<String> scraped = beaconSeries(http.get("/actuator/prometheus").body());

            assertThat(undocumented(scraped, documented)).as("exported beacon_* series missing from " + REFERENCE)
                    .isEmpty();
            documented.forEach((name, appears) -> {
                if (appears.equals(XDS)) {
                    assertThat(exported(name, scraped)).as(name + " with xDS on; scraped: " + scraped).isTrue();
                }
            });
        }
    }

    /** Register (with an active check), heartbeat, discover, long poll, stream, report, deregister, expire. */
    private void exerciseEveryFeature(Http http) throws Exception {
        String check = "{\"http\":\"http://127.0.0.1:" + port + "/actuator/health/liveness\",\"interval\":\"1s\"}";
        assertThat(http.post("/register", "{\"name\":\"orders\",\"address\":\"127.0.0.1\",\"port\":8080,\"check\":"
                + check + "}").statusCode()).isEqualTo(201);
        assertThat(http.put("/heartbeat/orders/127.0.0.1:8080", null).statusCode()).isEqualTo(200);
        assertThat(http.put("/heartbeat/orders/10.9.9.9:1", null).statusCode()).isEqualTo(404);
        assertThat(http.get("/discover?name=orders").statusCode()).isEqualTo(200);
        // the watchers wait on a service without an active check, whose first result would move the index
        // (and answer the long poll) at a moment the test does not control
        assertThat(http.post("/register", "{\"name\":\"payments\",\"address\":\"10.0.1.5\",\"port\":8080}")
                .statusCode()).isEqualTo(201);
        HttpResponse<String> discovered = http.get("/discover?name=payments");
        assertThat(discovered.statusCode()).isEqualTo(200);
        String index = discovered.headers().firstValue("X-Beacon-Index").orElseThrow();

        HttpClient client = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> poll = client.sendAsync(HttpRequest.newBuilder(
                URI.create(http.base() + "/discover?name=payments&index=" + index + "&wait=30s"))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        CompletableFuture<HttpResponse<InputStream>> stream = client.sendAsync(HttpRequest.newBuilder(
                URI.create(http.base() + "/watch?name=payments")).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            String scrape = http.get("/actuator/prometheus").body();
            return scrape.contains("beacon_watchers{kind=\"long_poll\"} 1.0")
                    && scrape.contains("beacon_watchers{kind=\"stream\"} 1.0");
        });
        assertThat(http.post("/register", "{\"name\":\"payments\",\"address\":\"10.0.1.6\",\"port\":8080}")
                .statusCode()).isEqualTo(201);
        assertThat(http.post("/register", "{\"name\":\"orders\",\"address\":\"10.0.0.6\",\"port\":8080}")
                .statusCode()).isEqualTo(201);
        assertThat(poll.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        stream.get(30, java.util.concurrent.TimeUnit.SECONDS).body().close();

        assertThat(http.post("/report", "{\"name\":\"orders\",\"id\":\"10.0.0.6:8080\",\"outcome\":\"failure\"}")
                .statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> http.get("/actuator/prometheus").body().contains("beacon_checks_total{"));
        assertThat(http.delete("/deregister/orders/10.0.0.6:8080").statusCode()).isEqualTo(204);
        clock.advance(Duration.ofMinutes(10));
        sweeper.sweep(clock.instant());
        await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/actuator/prometheus").body()
                .lines().anyMatch(l -> l.startsWith("beacon_evictions_total") && !l.endsWith(" 0.0")));
        assertThat(http.get("/actuator/prometheus").body()).containsPattern("beacon_watch_wake_seconds_count \\d*[1-9]");
    }

    private static ConfigurableApplicationContext startClusterMember() {
        int jgroups = freeJGroupsPort();
        return new SpringApplicationBuilder(BeaconApplication.class).run("--server.port=0",
                "--server.address=127.0.0.1", "--beacon.cluster.enabled=true", "--beacon.cluster.node-name=metrics-1",
                "--beacon.cluster.bind-address=127.0.0.1", "--beacon.cluster.port=" + jgroups,
                "--beacon.cluster.fd-port-offset=100", "--beacon.cluster.members=127.0.0.1[" + jgroups + "]",
                "--beacon.cluster.join-timeout=1s", "--beacon.cluster.cluster-name=metrics-" + jgroups,
                "--logging.level.org.infinispan=WARN", "--logging.level.org.jgroups=WARN");
    }

    /** A loopback port whose failure-detection port (+100) is free too. */
    private static int freeJGroupsPort() {
        int base = 20000 + ThreadLocalRandom.current().nextInt(20000);
        for (int p = base; p < 60000; p += 7) {
            if (free(p) && free(p + 100)) {
                return p;
            }
        }
        throw new IllegalStateException("no free port pair");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Documented metric name to its Appears column. */
    static Map<String, String> documented() {
        Map<String, String> metrics = new LinkedHashMap<>();
        for (String line : Docs.read(REFERENCE).lines().toList()) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                metrics.put(m.group(1), m.group(4).trim());
            }
        }
        return metrics;
    }

    /** The names of the {@code beacon_*} samples of a scrape, labels dropped. */
    static Set<String> beaconSeries(String scrape) {
        Set<String> names = new TreeSet<>();
        scrape.lines().filter(l -> l.startsWith("beacon_")).forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }

    static boolean exported(String metric, Set<String> scraped) {
        return SUFFIXES.stream().anyMatch(s -> scraped.contains(metric + s));
    }

    static Set<String> undocumented(Set<String> scraped, Map<String, String> documented) {
        Set<String> undocumented = new TreeSet<>();
        for (String series : scraped) {
            boolean known = documented.keySet().stream().anyMatch(d -> SUFFIXES.stream().anyMatch(s -> series.equals(d + s)));
            if (!known) {
                undocumented.add(series);
            }
        }
        return undocumented;
    }
}
