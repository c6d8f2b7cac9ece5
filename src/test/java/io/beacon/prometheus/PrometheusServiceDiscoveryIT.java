package io.beacon.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.registry.Registry;
import io.beacon.support.Http;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A real Prometheus (the {@code prometheus} binary, skipped when absent) scraping Beacon and discovering
 * Beacon's instances twice: through {@code http_sd_configs} on {@code /prometheus/targets} and through
 * {@code eureka_sd_configs} on {@code /eureka}. Asserted through Prometheus's own {@code /api/v1/targets}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
class PrometheusServiceDiscoveryIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static Process prometheus;

    @TempDir
    static Path work;

    @LocalServerPort
    int port;
    @Autowired
    Registry registry;

    @AfterAll
    static void stopPrometheus() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void prometheusDiscoversBeaconInstancesThroughHttpSdAndEurekaSd() throws Exception {
        Path binary = findPrometheus();
        Assumptions.assumeTrue(binary != null, "prometheus binary not installed");
        Http http = new Http(port);
        assertThat(http.post("/register", """
                {"name":"orders","id":"orders-1","address":"127.0.0.1","port":18081,"zone":"eu-1",
                 "tags":["web","v2"],"metadata":{"team.name":"core"}}""").statusCode()).isEqualTo(201);
        assertThat(http.post("/eureka/apps/BILLING", """
                {"instance":{"instanceId":"billing-1","hostName":"localhost","app":"BILLING","ipAddr":"127.0.0.1",
                 "status":"UP","port":{"$":18082,"@enabled":"true"},
                 "dataCenterInfo":{"@class":"com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo","name":"MyOwn"}}}""")
                .statusCode()).isEqualTo(204);

        int prometheusPort = freePort();
        Path config = work.resolve("prometheus.yml");
        String beacon = "127.0.0.1:" + port;
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: beacon
                    metrics_path: /actuator/prometheus
                    static_configs:
                      - targets: ['%1$s']
                  - job_name: beacon-http-sd
                    http_sd_configs:
                      - url: http://%1$s/prometheus/targets
                        refresh_interval: 1s
                  - job_name: beacon-eureka-sd
                    eureka_sd_configs:
                      - server: http://%1$s/eureka
                        refresh_interval: 1s
                """.formatted(beacon));
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + work.resolve("data"), "--web.listen-address=127.0.0.1:" + prometheusPort,
                "--storage.tsdb.retention.time=1h"));
        prometheus = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("prometheus.log").toFile()).start();

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI targets = URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/targets");
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            assertThat(prometheus.isAlive()).as("prometheus running; log: %s", log()).isTrue();
            JsonNode active = Http.JSON.readTree(client.send(HttpRequest.newBuilder(targets).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body()).get("data").get("activeTargets");
            JsonNode self = target(active, "beacon", "__address__", beacon);
            assertThat(self.get("health").asString()).isEqualTo("up");

            JsonNode orders = target(active, "beacon-http-sd", "__meta_beacon_instance_id", "orders-1");
            assertThat(label(orders, "__address__")).isEqualTo("127.0.0.1:18081");
            assertThat(label(orders, "__meta_beacon_service")).isEqualTo("orders");
            assertThat(label(orders, "__meta_beacon_zone")).isEqualTo("eu-1");
            assertThat(label(orders, "__meta_beacon_tags")).isEqualTo(",web,v2,");
            assertThat(label(orders, "__meta_beacon_metadata_team_name")).isEqualTo("core");
            target(active, "beacon-http-sd", "__meta_beacon_instance_id", "billing-1");

            JsonNode billing = target(active, "beacon-eureka-sd", "__address__", "localhost:18082");
            assertThat(label(billing, "__meta_eureka_app_name")).isEqualTo("BILLING");
            JsonNode native_ = target(active, "beacon-eureka-sd", "__address__", "127.0.0.1:18081");
            assertThat(label(native_, "__meta_eureka_app_name")).isEqualTo("ORDERS");
        });
        registry.instances().toList().forEach(i -> registry.deregister(i.key()));
    }

    private static JsonNode target(JsonNode active, String pool, String label, String value) {
        for (JsonNode t : active) {
            if (t.get("scrapePool").asString().equals(pool) && value.equals(label(t, label))) {
                return t;
            }
        }
        throw new AssertionError("no target with " + label + "=" + value + " in " + pool + ": " + active);
    }

    private static String label(JsonNode target, String name) {
        JsonNode v = target.get("discoveredLabels").get(name);
        return v == null ? null : v.asString();
    }

    private static String log() throws IOException {
        Path log = work.resolve("prometheus.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static Path findPrometheus() {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "prometheus");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
