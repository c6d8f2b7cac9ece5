package io.beacon.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.beacon.cluster.ClusterProperties;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Helm chart through real Helm: helm-java runs Helm's own Go code in-process for {@code helm lint --strict}
 * and {@code helm template}, rendered in default and cluster mode, and the tests assert on the parsed
 * manifests: probes and the ports they name, environment variables and the Spring properties they bind to,
 * the mounted configuration, and the memory limit against the watchers Beacon is sized for.
 */
class HelmChartTest {

    static final Path CHART = Path.of("helm", "beacon");
    /** Helm's built-in default (v1.20) is older than the chart's {@code kubeVersion}, so every render names one. */
    static final String KUBE_VERSION = "1.30.0";
    static final String RELEASE = "beacon";
    static final String NAMESPACE = "ops";

    /**
     * Heap held per connection whose request keeps a Tomcat processor, after a full GC (bench/watchers.sh with
     * beacon.server.lean-watchers=false, 10,000 idle streams: 58.4 KB): the worst case the limit is sized for. A
     * watcher held lean costs 13 to 17 KB.
     */
    static final long HEAP_PER_WATCHER = 58 * 1024L;
    /** Heap the server holds after a full GC with a small registry (bench/watch: 140 MB before the watchers). */
    static final long HEAP_BASELINE = 140L * 1024 * 1024;
    /** The share of the heap the live set may fill; the rest is the collector's headroom. */
    static final double LIVE_SHARE = 0.7;

    static final Rendered DEFAULT = Rendered.of();
    static final Rendered CLUSTER = Rendered.of("replicaCount", 3);

    @Test
    void lintPassesStrictly() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void refusesKubernetesOlderThanItsKubeVersion() throws IOException {
        assertThat(yaml(CHART.resolve("Chart.yaml"))).containsEntry("kubeVersion", ">=1.23.0-0");
        assertThatThrownBy(() -> new Helm(CHART).template().withName(RELEASE).withKubeVersion("1.22.0").call())
                .hasMessageContaining("chart requires kubeVersion: >=1.23.0-0");
    }

    @Test
    void defaultModeIsOneReplicaWithoutClusterObjects() {
        assertThat(DEFAULT.kinds()).containsExactlyInAnyOrder("ServiceAccount", "ConfigMap", "ConfigMap", "Service",
                "Deployment", "PodDisruptionBudget", "Secret");
        assertThat((Object) at(DEFAULT.get("Deployment", RELEASE), "spec.replicas")).isEqualTo(1);
        Map<String, Object> container = DEFAULT.container();
        assertThat(ports(container)).containsOnlyKeys("http").containsEntry("http", 8080);
        assertThat(env(container)).containsOnlyKeys("SPRING_CONFIG_ADDITIONALLOCATION", "BEACON_SECURITY_MODE",
                "BEACON_SECURITY_TOKENS_ADMIN_SECRET", "BEACON_SECURITY_TOKENS_ADMIN_SCOPES",
                "BEACON_SECURITY_TOKENS_METRICS_SECRET", "BEACON_SECURITY_TOKENS_METRICS_SCOPES");
        assertThat((Object) at(DEFAULT.podSpec(), "affinity")).isNull();
    }

    @Test
    void probesUseActuatorHealthGroupsOnTheHttpPort() throws IOException {
        Map<String, Object> container = DEFAULT.container();
        assertThat(ports(container)).containsEntry("http", 8080);
        assertThat((Map<String, Object>) at(container, "startupProbe")).isEqualTo(Map.of(
                "httpGet", Map.of("path", "/actuator/health/liveness", "port", "http"),
                "periodSeconds", 2, "failureThreshold", 60));
        assertThat((Map<String, Object>) at(container, "livenessProbe")).isEqualTo(Map.of(
                "httpGet", Map.of("path", "/actuator/health/liveness", "port", "http"),
                "periodSeconds", 10, "timeoutSeconds", 3, "failureThreshold", 3));
        assertThat((Map<String, Object>) at(container, "readinessProbe")).isEqualTo(Map.of(
                "httpGet", Map.of("path", "/actuator/health/readiness", "port", "http"),
                "periodSeconds", 5, "timeoutSeconds", 3, "failureThreshold", 3));
        // the probe groups exist only with management.endpoint.health.probes.enabled, which the image sets
        assertThat((Object) at(applicationYaml(), "management.endpoint.health.probes.enabled")).isEqualTo(true);
        assertThat((Object) at(applicationYaml(), "server.port")).isEqualTo(8080);

        Map<String, Object> service = DEFAULT.get("Service", RELEASE);
        assertThat((List<Object>) at(service, "spec.ports")).containsExactly(
                Map.of("name", "http", "port", 8080, "targetPort", "http", "protocol", "TCP"));
        assertThat((Map<String, Object>) at(service, "spec.selector"))
                .isEqualTo(at(DEFAULT.get("Deployment", RELEASE), "spec.selector.matchLabels"));
        assertThat((Object) at(container, "lifecycle.preStop.exec.command")).isEqualTo(List.of("sleep", "5"));
        assertThat((Object) at(DEFAULT.podSpec(), "terminationGracePeriodSeconds")).isEqualTo(45);
    }

    @Test
    void runsNonRootReadOnlyWithTheConfigMounted() {
        Map<String, Object> pod = DEFAULT.podSpec();
        Map<String, Object> container = DEFAULT.container();
        assertThat((Object) at(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
        assertThat((Object) at(pod, "securityContext.runAsUser")).isEqualTo(10001);
        assertThat((Object) at(pod, "automountServiceAccountToken")).isEqualTo(false);
        assertThat((Object) at(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
        assertThat((Object) at(container, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
        assertThat((Object) at(container, "securityContext.capabilities.drop")).isEqualTo(List.of("ALL"));
        assertThat((List<Object>) at(container, "volumeMounts")).containsExactly(
                Map.of("name", "config", "mountPath", "/config", "readOnly", true),
                Map.of("name", "tmp", "mountPath", "/tmp"));
        assertThat((List<Object>) at(pod, "volumes")).containsExactly(
                Map.of("name", "config", "configMap", Map.of("name", RELEASE)),
                Map.of("name", "tmp", "emptyDir", Map.of()));
        assertThat(env(container)).containsEntry("SPRING_CONFIG_ADDITIONALLOCATION",
                "optional:file:/config/application.yaml");
        assertThat(DEFAULT.config()).isEqualTo(Map.of("beacon", Map.of("lease",
                Map.of("duration", "30s", "evict-after", "90s"))));
        assertThat((String) at(DEFAULT.get("Deployment", RELEASE), "spec.template.metadata.annotations.checksum/config"))
                .matches("[0-9a-f]{64}");
    }

    @Test
    void configChangesTheMountedFileAndRollsThePods() {
        Rendered changed = Rendered.of("config.beacon.lease.duration", "15s");
        assertThat((Object) at(changed.config(), "beacon.lease.duration")).isEqualTo("15s");
        assertThat((String) at(changed.get("Deployment", RELEASE), "spec.template.metadata.annotations.checksum/config"))
                .isNotEqualTo(at(DEFAULT.get("Deployment", RELEASE), "spec.template.metadata.annotations.checksum/config"));
    }

    @Test
    void environmentAndConfigNameRealProperties() throws IOException {
        KnownProperties known = KnownProperties.load();
        for (Rendered rendered : List.of(DEFAULT, CLUSTER)) {
            for (String name : env(rendered.container()).keySet()) {
                if (!name.equals("JAVA_TOOL_OPTIONS")) {
                    assertThat(known.propertyOfEnv(name)).as("property bound by env %s", name).isNotNull();
                }
            }
            for (String key : flatten(rendered.config())) {
                assertThat(known.exists(key)).as("config key %s", key).isTrue();
            }
        }
        assertThat(known.propertyOfEnv("BEACON_CLUSTER_DNSQUERY")).isEqualTo("beacon.cluster.dns-query");
        assertThat(known.propertyOfEnv("BEACON_CLUSTER_DNS_QUERY")).as("not the canonical form").isNull();
        assertThat(known.propertyOfEnv("BEACON_CLUSTER_DNSQUERYY")).isNull();
        assertThat(known.exists("beacon.lease.evict-after")).isTrue();
        assertThat(known.exists("beacon.lease.evict-afterr")).isFalse();
    }

    @Test
    void dashboardConfigMapHoldsTheDashboardFile() throws IOException {
        Map<String, Object> dashboard = DEFAULT.get("ConfigMap", RELEASE + "-dashboard");
        assertThat((Object) at(dashboard, "metadata.labels.grafana_dashboard")).isEqualTo("1");
        JsonMapper json = JsonMapper.builder().build();
        JsonNode rendered = json.readTree((String) at(dashboard, "data.beacon.json"));
        assertThat(rendered).isEqualTo(json.readTree(Files.readString(CHART.resolve("dashboards/beacon.json"))));
        assertThat(rendered.path("panels").size()).isPositive();
    }

    @Test
    void optionalObjectsRenderWhenEnabled() {
        Rendered all = Rendered.of("ingress.enabled", true, "serviceMonitor.enabled", true,
                "podDisruptionBudget.minAvailable", 1, "dashboard.enabled", false, "serviceAccount.create", false);
        assertThat(all.kinds()).contains("Ingress", "ServiceMonitor").doesNotContain("ServiceAccount")
                .containsOnlyOnce("ConfigMap");
        assertThat((Object) at(all.get("Ingress", RELEASE), "spec.rules.0.host")).isEqualTo("beacon.local");
        assertThat((Object) at(all.get("Ingress", RELEASE), "spec.rules.0.http.paths.0.backend.service"))
                .isEqualTo(Map.of("name", RELEASE, "port", Map.of("name", "http")));
        assertThat((Object) at(all.get("ServiceMonitor", RELEASE), "spec.endpoints.0")).isEqualTo(Map.of(
                "port", "http", "path", "/actuator/prometheus", "interval", "30s", "scrapeTimeout", "10s",
                "authorization", Map.of("type", "Bearer",
                        "credentials", Map.of("name", RELEASE + "-tokens", "key", "metrics-token"))));
        assertThat((Map<String, Object>) at(all.get("PodDisruptionBudget", RELEASE), "spec"))
                .containsEntry("minAvailable", 1).doesNotContainKey("maxUnavailable");
        assertThat((Object) at(all.podSpec(), "serviceAccountName")).isEqualTo("default");
    }

    @Test
    void enforcedByDefaultWithAGeneratedAdminTokenKeptAcrossUpgrades() throws IOException {
        Map<String, Object> env = env(DEFAULT.container());
        assertThat(env).containsEntry("BEACON_SECURITY_MODE", "enforced")
                .containsEntry("BEACON_SECURITY_TOKENS_ADMIN_SECRET", Map.of("name", RELEASE + "-tokens",
                        "key", "admin-token"))
                .containsEntry("BEACON_SECURITY_TOKENS_ADMIN_SCOPES", "admin")
                .containsEntry("BEACON_SECURITY_TOKENS_METRICS_SCOPES", "read");
        Map<String, Object> secret = DEFAULT.get("Secret", RELEASE + "-tokens");
        assertThat((Object) at(secret, "metadata.annotations.helm.sh/resource-policy")).isEqualTo("keep");
        Map<String, String> data = at(secret, "data");
        assertThat(data).containsOnlyKeys("admin-token", "metrics-token");
        String admin = new String(java.util.Base64.getDecoder().decode(data.get("admin-token")));
        assertThat(admin).hasSize(43).matches("[A-Za-z0-9]+");
        assertThat(admin).isNotEqualTo(new String(java.util.Base64.getDecoder().decode(
                (String) at(Rendered.of().get("Secret", RELEASE + "-tokens"), "data.admin-token"))));
        // an upgrade keeps what the first install generated: the template reads the live Secret first
        assertThat(Files.readString(CHART.resolve("templates/tokens-secret.yaml")))
                .contains("lookup \"v1\" \"Secret\" .Release.Namespace $name", "get $data \"admin-token\"");
    }

    @Test
    void anAdminTokenSecretOfYourOwnIsUsedAndNothingIsGeneratedForIt() {
        Rendered given = Rendered.of("security.adminToken.existingSecret", "my-admin",
                "security.adminToken.existingSecretKey", "token", "security.metricsToken.enabled", false);
        assertThat(env(given.container())).containsEntry("BEACON_SECURITY_TOKENS_ADMIN_SECRET",
                Map.of("name", "my-admin", "key", "token")).doesNotContainKey("BEACON_SECURITY_TOKENS_METRICS_SECRET");
        assertThat(given.kinds()).doesNotContain("Secret");
        Rendered open = Rendered.of("security.mode", "open");
        assertThat(env(open.container())).containsEntry("BEACON_SECURITY_MODE", "open")
                .doesNotContainKey("BEACON_SECURITY_TOKENS_ADMIN_SECRET");
        assertThat(open.kinds()).doesNotContain("Secret");
    }

    @Test
    void xdsOpensItsPortOnTheContainerAndTheServiceWhenEnabled() {
        assertThat(ports(Rendered.of().container())).doesNotContainKey("xds");
        Rendered xds = Rendered.of("xds.enabled", true);
        assertThat(ports(xds.container())).containsEntry("xds", 18000);
        assertThat(env(xds.container())).containsEntry("BEACON_XDS_ENABLED", "true").containsEntry("BEACON_XDS_PORT", "18000");
        assertThat((List<Object>) at(xds.get("Service", RELEASE), "spec.ports"))
                .contains(Map.of("name", "xds", "port", 18000, "targetPort", "xds", "protocol", "TCP"));
    }

    @Test
    void chartReadmeDocumentsEveryValue() throws IOException {
        String readme = Files.readString(CHART.resolve("README.md"));
        List<String> undocumented = new ArrayList<>();
        for (String path : flatten(yaml(CHART.resolve("values.yaml")))) {
            if (!documented(readme, path)) {
                undocumented.add(path);
            }
        }
        assertThat(undocumented).as("values missing from helm/beacon/README.md").isEmpty();
    }

    /** Helm renders a missing value as empty, and {@code lint --strict} does not catch it: check the names. */
    @Test
    void everyValueATemplateReadsExistsInValuesYaml() throws IOException {
        Map<String, Object> values = yaml(CHART.resolve("values.yaml"));
        Set<String> refs = new TreeSet<>();
        try (var templates = Files.list(CHART.resolve("templates"))) {
            for (Path template : templates.toList()) {
                Matcher m = Pattern.compile("\\.Values((?:\\.[A-Za-z_][A-Za-z0-9_]*)+)").matcher(Files.readString(template));
                while (m.find()) {
                    refs.add(m.group(1).substring(1));
                }
            }
        }
        assertThat(refs).contains("replicaCount", "resources", "config", "cluster.startupProbe.periodSeconds");
        assertThat(refs).filteredOn(ref -> !containsPath(values, ref)).as("read by templates, absent from values.yaml")
                .isEmpty();
    }

    /** The memory limit against the watchers Beacon's Tomcat settings are sized for. */
    @Nested
    class Memory {

        @Test
        void defaultLimitHoldsTheWatchersBeaconIsSizedFor() throws IOException {
            Map<String, Object> resources = at(DEFAULT.container(), "resources");
            assertThat((Object) at(resources, "limits.memory")).isEqualTo("2Gi");
            assertThat((Object) at(resources, "requests.memory")).as("request = limit").isEqualTo("2Gi");
            int sizedFor = (Integer) at(applicationYaml(), "server.tomcat.processor-cache");
            assertThat(sizedFor).isEqualTo(10_000);
            assertThat((Integer) at(applicationYaml(), "server.tomcat.max-connections")).isGreaterThanOrEqualTo(sizedFor);
            assertThat(watchersHeld(DEFAULT)).isEqualTo(16_511).isGreaterThanOrEqualTo(sizedFor);
            assertThat(watchersHeld(CLUSTER)).isGreaterThanOrEqualTo(sizedFor);
        }

        @Test
        void smallerLimitsHoldFewerWatchersThanTheDefaults() throws IOException {
            Rendered small = Rendered.of("resources.limits.memory", "512Mi", "resources.requests.memory", "512Mi");
            assertThat(watchersHeld(small)).isEqualTo(2_273).isLessThan(tomcat(small, "processor-cache"));
            assertThat(watchersHeld(Rendered.of("resources.limits.memory", "1Gi"))).isEqualTo(7_019);
        }

        @Test
        void tomcatSizedInConfigFitsASmallerLimit() throws IOException {
            // the settings the chart README gives for 512Mi
            Rendered sized = Rendered.of("resources.limits.memory", "512Mi", "resources.requests.memory", "512Mi",
                    "config.server.tomcat.processor-cache", 1400, "config.server.tomcat.max-connections", 2000);
            assertThat(tomcat(sized, "processor-cache")).isEqualTo(1400).isLessThanOrEqualTo((int) watchersHeld(sized));
            assertThat(tomcat(sized, "max-connections")).isEqualTo(2000);
            long worstCase = HEAP_BASELINE + HEAP_PER_WATCHER * tomcat(sized, "max-connections");
            assertThat(worstCase).as("every connection holding a request still fits the heap")
                    .isLessThan(heap(sized));
        }

        /** Watchers the rendered limit holds: (heap x live share - baseline) / heap per watcher. */
        long watchersHeld(Rendered rendered) throws IOException {
            return (long) ((heap(rendered) * LIVE_SHARE - HEAP_BASELINE) / HEAP_PER_WATCHER);
        }

        /** The heap the JVM takes of the rendered memory limit: the image's MaxRAMPercentage. */
        long heap(Rendered rendered) throws IOException {
            Matcher percent = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(Files.readString(Path.of("Dockerfile")));
            assertThat(percent.find()).as("Dockerfile sets MaxRAMPercentage").isTrue();
            assertThat(Integer.parseInt(percent.group(1))).isEqualTo(75);
            return bytes(at(rendered.container(), "resources.limits.memory")) * Integer.parseInt(percent.group(1)) / 100;
        }

        /** A server.tomcat setting: the chart's config over the image's application.yaml. */
        int tomcat(Rendered rendered, String key) throws IOException {
            Object configured = at(rendered.config(), "server.tomcat." + key);
            return configured != null ? (Integer) configured : (Integer) at(applicationYaml(), "server.tomcat." + key);
        }

        long bytes(String quantity) {
            Matcher m = Pattern.compile("(\\d+)(Mi|Gi)").matcher(quantity);
            assertThat(m.matches()).as("memory quantity %s", quantity).isTrue();
            return Long.parseLong(m.group(1)) * (m.group(2).equals("Gi") ? 1L << 30 : 1L << 20);
        }
    }

    /** More than one replica, or {@code cluster.enabled}: members share the registry over JGroups. */
    @Nested
    class ClusterMode {

        @Test
        void isSwitchedOnByMoreThanOneReplicaOrTheFlag() {
            assertThat(CLUSTER.kinds().stream().filter("Service"::equals)).hasSize(2);
            assertThat((Object) at(CLUSTER.get("Deployment", RELEASE), "spec.replicas")).isEqualTo(3);
            Rendered flag = Rendered.of("cluster.enabled", true);
            assertThat((Object) at(flag.get("Deployment", RELEASE), "spec.replicas")).isEqualTo(1);
            assertThat(env(flag.container())).containsEntry("BEACON_CLUSTER_ENABLED", "true");
            assertThat(flag.find("Service", RELEASE + "-cluster")).isNotNull();
            assertThat(DEFAULT.find("Service", RELEASE + "-cluster")).isNull();
        }

        @Test
        void headlessServiceListsEveryMemberOnTheJGroupsPort() {
            Map<String, Object> service = CLUSTER.get("Service", RELEASE + "-cluster");
            assertThat((Object) at(service, "spec.clusterIP")).isEqualTo("None");
            assertThat((Object) at(service, "spec.publishNotReadyAddresses")).isEqualTo(true);
            assertThat((List<Object>) at(service, "spec.ports")).containsExactly(
                    Map.of("name", "jgroups", "port", 7800, "targetPort", "jgroups", "protocol", "TCP"));
            assertThat((Object) at(service, "spec.selector"))
                    .isEqualTo(at(CLUSTER.get("Deployment", RELEASE), "spec.selector.matchLabels"));
        }

        @Test
        void containerOpensTheJGroupsAndFailureDetectionPorts() {
            Map<String, Object> container = CLUSTER.container();
            assertThat(ports(container)).containsExactlyInAnyOrderEntriesOf(
                    Map.of("http", 8080, "jgroups", 7800, "jgroups-fd", 57800));
            Map<String, Object> env = env(container);
            int port = Integer.parseInt((String) env.get("BEACON_CLUSTER_PORT"));
            int offset = Integer.parseInt((String) env.get("BEACON_CLUSTER_FDPORTOFFSET"));
            assertThat(port).isEqualTo(ports(container).get("jgroups"));
            assertThat(port + offset).isEqualTo(ports(container).get("jgroups-fd"));
        }

        @Test
        void environmentBindsToClusterPropertiesForDnsDiscovery() {
            Map<String, Object> env = env(CLUSTER.container());
            env.keySet().removeIf(name -> name.startsWith("BEACON_SECURITY_")); // tested on their own
            assertThat(env).containsOnlyKeys("SPRING_CONFIG_ADDITIONALLOCATION", "BEACON_CLUSTER_ENABLED",
                    "BEACON_CLUSTER_CLUSTERNAME", "BEACON_CLUSTER_NODENAME", "BEACON_CLUSTER_BINDADDRESS",
                    "BEACON_CLUSTER_PORT", "BEACON_CLUSTER_FDPORTOFFSET", "BEACON_CLUSTER_DISCOVERY",
                    "BEACON_CLUSTER_DNSQUERY", "MANAGEMENT_ENDPOINT_HEALTH_GROUP_READINESS_INCLUDE",
                    "BEACON_CLUSTER_SECURITY_SECRET", "JAVA_TOOL_OPTIONS");
            assertThat(env.get("BEACON_CLUSTER_NODENAME")).isEqualTo(Map.of("fieldPath", "metadata.name"));
            assertThat(env.get("BEACON_CLUSTER_BINDADDRESS")).isEqualTo(Map.of("fieldPath", "status.podIP"));
            assertThat(env.get("JAVA_TOOL_OPTIONS")).isEqualTo("-Djava.net.preferIPv4Stack=true");

            // what the pod sees: the downward API fills in the pod's name and address
            Map<String, Object> pod = new HashMap<>(env);
            pod.put("BEACON_CLUSTER_NODENAME", "beacon-7d9f-x2k");
            pod.put("BEACON_CLUSTER_BINDADDRESS", "10.1.2.3");
            pod.put("BEACON_CLUSTER_SECURITY_SECRET", "from-the-secret-0123456789"); // a secretKeyRef
            Binder binder = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                    StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, pod)));
            ClusterProperties cluster = binder.bind("beacon.cluster", ClusterProperties.class).get();
            assertThat(cluster.enabled()).isTrue();
            assertThat(cluster.clusterName()).isEqualTo(RELEASE);
            assertThat(cluster.nodeName()).isEqualTo("beacon-7d9f-x2k");
            assertThat(cluster.bindAddress()).isEqualTo("10.1.2.3");
            assertThat(cluster.port()).isEqualTo(7800);
            assertThat(cluster.fdPortOffset()).isEqualTo(50000);
            assertThat(cluster.discovery()).isEqualTo(ClusterProperties.Discovery.DNS);
            assertThat(cluster.dnsQuery()).isEqualTo("beacon-cluster." + NAMESPACE + ".svc.cluster.local");
            assertThat(cluster.security().secret()).isEqualTo("from-the-secret-0123456789");
            assertThat(binder.bind("management.endpoint.health.group.readiness.include", Bindable.setOf(String.class))
                    .get()).containsExactlyInAnyOrder("readinessState", "cluster");
            assertThat(binder.bind("spring.config.additional-location", String.class).get())
                    .isEqualTo("optional:file:/config/application.yaml");
        }

        @Test
        void dnsQueryFollowsTheClusterDomain() {
            Rendered other = Rendered.of("replicaCount", 2, "cluster.clusterDomain", "corp.example");
            assertThat(env(other.container())).containsEntry("BEACON_CLUSTER_DNSQUERY",
                    "beacon-cluster." + NAMESPACE + ".svc.corp.example");
        }

        @Test
        void startupProbeOutlastsTheStateTimeout() {
            Map<String, Object> probe = at(CLUSTER.container(), "startupProbe");
            assertThat(probe).containsEntry("httpGet", Map.of("path", "/actuator/health/liveness", "port", "http"))
                    .containsEntry("periodSeconds", 5).containsEntry("failureThreshold", 72);
            Duration stateTimeout = new Binder().bindOrCreate("beacon.cluster", ClusterProperties.class).stateTimeout();
            assertThat(stateTimeout).isEqualTo(Duration.ofMinutes(4));
            assertThat(Duration.ofSeconds(5L * 72)).isGreaterThanOrEqualTo(stateTimeout.plusMinutes(1));
        }

        @Test
        void membersSpreadOverNodesAndDrainOneAtATime() {
            assertThat((Object) at(CLUSTER.podSpec(), "affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution"))
                    .isEqualTo(List.of(Map.of("weight", 100, "podAffinityTerm", Map.of(
                            "topologyKey", "kubernetes.io/hostname",
                            "labelSelector", Map.of("matchLabels", at(CLUSTER.get("Deployment", RELEASE),
                                    "spec.selector.matchLabels"))))));
            Rendered hard = Rendered.of("replicaCount", 3, "cluster.podAntiAffinity", "hard");
            assertThat((Object) at(hard.podSpec(), "affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution.0.topologyKey"))
                    .isEqualTo("kubernetes.io/hostname");
            assertThat((Object) at(CLUSTER.get("PodDisruptionBudget", RELEASE), "spec.maxUnavailable")).isEqualTo(1);
        }
    }

    /** The manifests of one {@code helm template} run, parsed. */
    record Rendered(List<Map<String, Object>> manifests) {

        /** Renders the chart as release {@code beacon} in namespace {@code ops} with {@code --set key=value} pairs. */
        static Rendered of(Object... sets) {
            // helm-java's template is not client-only: lookup would call a Kubernetes API that is not there
            var template = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE)
                    .withKubeVersion(KUBE_VERSION).set("security.lookupExistingSecret", false);
            for (int i = 0; i < sets.length; i += 2) {
                template.set((String) sets[i], sets[i + 1]);
            }
            List<Map<String, Object>> manifests = new ArrayList<>();
            for (Object document : new Yaml().loadAll(template.call())) {
                if (document != null) {
                    manifests.add(cast(document));
                }
            }
            return new Rendered(List.copyOf(manifests));
        }

        List<String> kinds() {
            return manifests.stream().map(m -> (String) m.get("kind")).toList();
        }

        Map<String, Object> find(String kind, String name) {
            return manifests.stream().filter(m -> kind.equals(m.get("kind")) && name.equals(at(m, "metadata.name")))
                    .findFirst().orElse(null);
        }

        Map<String, Object> get(String kind, String name) {
            Map<String, Object> manifest = find(kind, name);
            assertThat(manifest).as("%s %s in %s", kind, name, kinds()).isNotNull();
            return manifest;
        }

        Map<String, Object> podSpec() {
            return at(get("Deployment", RELEASE), "spec.template.spec");
        }

        Map<String, Object> container() {
            List<Map<String, Object>> containers = at(podSpec(), "containers");
            assertThat(containers).hasSize(1);
            return containers.get(0);
        }

        /** The application.yaml the ConfigMap mounts at /config. */
        Map<String, Object> config() {
            Map<String, Object> config = new Yaml().load((String) at(get("ConfigMap", RELEASE), "data.application.yaml"));
            return config == null ? Map.of() : config;
        }
    }

    /** Container ports by name. */
    static Map<String, Integer> ports(Map<String, Object> container) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Map<String, Object> port : HelmChartTest.<List<Map<String, Object>>>at(container, "ports")) {
            assertThat(port).containsEntry("protocol", "TCP");
            ports.put((String) port.get("name"), (Integer) port.get("containerPort"));
        }
        return ports;
    }

    /** Environment variables by name: the value, or the downward API field reference; each name once. */
    static Map<String, Object> env(Map<String, Object> container) {
        Map<String, Object> env = new LinkedHashMap<>();
        for (Map<String, Object> var : HelmChartTest.<List<Map<String, Object>>>at(container, "env")) {
            Object value = var.containsKey("value") ? var.get("value")
                    : at(var, "valueFrom.fieldRef") != null ? at(var, "valueFrom.fieldRef")
                    : at(var, "valueFrom.secretKeyRef");
            assertThat(env.put((String) var.get("name"), value)).as("env %s set twice", var.get("name")).isNull();
        }
        return env;
    }

    /**
     * The Spring properties Beacon knows: every {@code spring-configuration-metadata.json} on the class path
     * (Beacon's own, generated from its {@code @ConfigurationProperties}, and Spring Boot's). Map-valued
     * properties ({@code management.endpoint.health.group}) accept any key below them.
     */
    record KnownProperties(Set<String> names, Set<String> maps) {

        static KnownProperties load() throws IOException {
            Set<String> names = new TreeSet<>();
            Set<String> maps = new TreeSet<>();
            JsonMapper json = JsonMapper.builder().build();
            for (URL url : Collections.list(HelmChartTest.class.getClassLoader()
                    .getResources("META-INF/spring-configuration-metadata.json"))) {
                try (InputStream in = url.openStream()) {
                    for (JsonNode property : json.readTree(in).path("properties")) {
                        String name = property.path("name").asString();
                        names.add(name);
                        if (property.path("type").asString().startsWith("java.util.Map<")) {
                            maps.add(name);
                        }
                    }
                }
            }
            assertThat(names).contains("beacon.cluster.dns-query", "server.tomcat.max-connections");
            return new KnownProperties(names, maps);
        }

        boolean exists(String name) {
            return names.contains(name) || maps.stream().anyMatch(map -> name.startsWith(map + "."));
        }

        /**
         * The property an environment variable sets, when its name is the property's canonical form (dots to
         * underscores, dashes removed, upper case); null when none.
         */
        String propertyOfEnv(String env) {
            for (String name : names) {
                if (canonical(name).equals(env)) {
                    return name;
                }
            }
            for (String map : maps) {
                if (env.startsWith(canonical(map) + "_")) {
                    return map;
                }
            }
            return null;
        }

        static String canonical(String property) {
            return property.replace('.', '_').replace("-", "").toUpperCase(Locale.ROOT);
        }
    }

    /** Dotted paths of every leaf (and every empty map or list) of a YAML tree. */
    static List<String> flatten(Map<String, Object> tree) {
        List<String> paths = new ArrayList<>();
        flatten("", tree, paths);
        return paths;
    }

    private static void flatten(String prefix, Map<String, Object> tree, List<String> paths) {
        for (Map.Entry<String, Object> entry : tree.entrySet()) {
            String path = prefix + entry.getKey();
            if (entry.getValue() instanceof Map<?, ?> map && !map.isEmpty()) {
                flatten(path + ".", cast(map), paths);
            } else {
                paths.add(path);
            }
        }
    }

    static boolean containsPath(Map<String, Object> values, String path) {
        Object node = values;
        for (String key : path.split("\\.")) {
            if (!(node instanceof Map<?, ?> map) || !map.containsKey(key)) {
                return false;
            }
            node = map.get(key);
        }
        return true;
    }

    /** True when the README names the path or one of its ancestors (maps documented as a whole). */
    static boolean documented(String readme, String path) {
        for (String p = path; !p.isEmpty(); p = p.contains(".") ? p.substring(0, p.lastIndexOf('.')) : "") {
            if (readme.contains("`" + p + "`")) {
                return true;
            }
        }
        return false;
    }

    static Map<String, Object> applicationYaml() throws IOException {
        return yaml(Path.of("src/main/resources/application.yaml"));
    }

    static Map<String, Object> yaml(Path file) throws IOException {
        return new Yaml().load(Files.readString(file));
    }

    /**
     * The node at a dotted path: map keys, or list indexes as numbers. A key holding dots ({@code
     * checksum/config} has none, {@code application.yaml} has one) is matched whole when the map has it.
     */
    static <T> T at(Object node, String path) {
        String rest = path;
        while (node != null && !rest.isEmpty()) {
            if (node instanceof List<?> list) {
                int dot = rest.indexOf('.');
                String index = dot < 0 ? rest : rest.substring(0, dot);
                node = Integer.parseInt(index) < list.size() ? list.get(Integer.parseInt(index)) : null;
                rest = dot < 0 ? "" : rest.substring(dot + 1);
            } else {
                Map<?, ?> map = (Map<?, ?>) node;
                String key = longestKey(map, rest);
                node = key == null ? null : map.get(key);
                rest = key == null ? "" : rest.substring(Math.min(rest.length(), key.length() + 1));
            }
        }
        return cast(node);
    }

    private static String longestKey(Map<?, ?> map, String path) {
        for (int end = path.length(); end > 0; end = path.lastIndexOf('.', end - 1)) {
            String key = path.substring(0, end);
            if (map.containsKey(key)) {
                return key;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }
}
