package io.beacon.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.support.Http;
import io.beacon.support.TestClockConfiguration;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * Every metric the Grafana dashboard queries is one a live Beacon exports on {@code /actuator/prometheus}.
 * The dashboard's PromQL is reduced to its metric names: strings, label matchers, ranges and grouping
 * clauses are removed, then every identifier that is not a function, keyword or number is a metric.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestClockConfiguration.class)
class DashboardMetricsIT {

    static final Path DASHBOARD = Path.of("helm", "beacon", "dashboards", "beacon.json");

    /** Metrics the dashboard shows that Beacon does not export (none: every query is checked). */
    static final Set<String> NOT_YET_EXPORTED = Set.of();

    static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset");
    static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");

    @LocalServerPort
    int port;

    @Test
    void everyMetricTheDashboardQueriesIsExported() throws IOException {
        Http http = new Http(port);
        assertThat(http.post("/register", "{\"name\":\"orders\",\"address\":\"10.0.0.5\",\"port\":8080}")
                .statusCode()).isEqualTo(201);
        assertThat(http.put("/heartbeat/orders/10.0.0.5:8080", null).statusCode()).isEqualTo(200);
        HttpResponse<String> scrape = http.get("/actuator/prometheus");
        assertThat(scrape.statusCode()).isEqualTo(200);
        Set<String> exported = exportedNames(scrape.body());

        Set<String> used = dashboardMetrics();
        assertThat(used).as("metrics the dashboard queries").contains("beacon_services", "beacon_instances",
                "beacon_registrations_total", "beacon_heartbeats_total", "beacon_evictions_total",
                "beacon_stale_total", "beacon_deregistrations_total", "beacon_watchers",
                "http_server_requests_seconds_bucket", "jvm_memory_used_bytes");
        List<String> missing = new ArrayList<>();
        for (String name : used) {
            if (!exported.contains(name) && !NOT_YET_EXPORTED.contains(name)) {
                missing.add(name);
            }
        }
        assertThat(missing).as("dashboard metrics Beacon does not export").isEmpty();
        assertThat(NOT_YET_EXPORTED).as("allow-listed names the dashboard no longer uses").allMatch(used::contains);
    }

    @Test
    void exportedSeriesCarryTheLabelsTheDashboardGroupsBy() {
        Http http = new Http(port);
        http.post("/register", "{\"name\":\"billing\",\"address\":\"10.0.0.6\",\"port\":8080}");
        String scrape = http.get("/actuator/prometheus").body();
        assertThat(scrape).containsPattern("beacon_instances\\{[^}]*service=\"billing\"[^}]*status=\"UP\"[^}]*} 1\\.0")
                .containsPattern("beacon_heartbeats_total\\{[^}]*result=\"ok\"")
                .containsPattern("jvm_memory_used_bytes\\{[^}]*area=\"heap\"");
        assertThat(scrape.lines().filter(l -> l.startsWith("http_server_requests_seconds_bucket{")))
                .as("latency histogram buckets of POST /register")
                .anyMatch(l -> l.contains("uri=\"/register\"") && l.contains("method=\"POST\"") && l.contains("le=\""));
    }

    static Set<String> exportedNames(String scrape) {
        Set<String> names = new TreeSet<>();
        scrape.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }

    static Set<String> dashboardMetrics() throws IOException {
        JsonNode dashboard = Http.JSON.readTree(Files.readString(DASHBOARD));
        Set<String> names = new TreeSet<>();
        for (JsonNode expr : dashboard.findValues("expr")) {
            names.addAll(metricNames(expr.asString()));
        }
        for (JsonNode variable : dashboard.at("/templating/list")) {
            String definition = variable.path("definition").asString("");
            Matcher m = Pattern.compile("label_values\\(\\s*([A-Za-z_:][A-Za-z0-9_:]*)").matcher(definition);
            if (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** The metric names in one PromQL expression. */
    static Set<String> metricNames(String promql) {
        String s = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String id = m.group();
            int next = m.end();
            while (next < s.length() && Character.isWhitespace(s.charAt(next))) {
                next++;
            }
            boolean function = next < s.length() && s.charAt(next) == '(';
            boolean number = m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1));
            if (!function && !number && !KEYWORDS.contains(id) && !id.equals("Inf") && !id.equals("NaN")) {
                names.add(id);
            }
        }
        return names;
    }

    @Test
    void promqlIsReducedToMetricNames() {
        assertThat(metricNames("histogram_quantile(0.99, sum by (le, uri) (rate(http_server_requests_seconds_bucket"
                + "{uri!~\"/actuator.*\"}[$__rate_interval])))")).containsExactly("http_server_requests_seconds_bucket");
        assertThat(metricNames("sum(max by (service, status) (beacon_instances{status=\"UP\"})) / max(beacon_services)"))
                .containsExactly("beacon_instances", "beacon_services");
        assertThat(metricNames("sum(increase(beacon_evictions_total[1h])) > bool 0"))
                .containsExactly("beacon_evictions_total");
    }
}
