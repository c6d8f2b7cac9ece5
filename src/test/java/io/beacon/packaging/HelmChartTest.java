package io.beacon.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import io.beacon.cluster.ClusterProperties;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.Yaml;

/**
 * Checks the Helm chart without a helm binary: Chart.yaml and values.yaml parse and carry the required
 * fields, every {@code .Values.x.y} a template reads exists in values.yaml and is documented in the chart's
 * README, every included helper is defined, and the Deployment keeps the probes, security and config
 * mount the operations guide promises. {@link ClusterMode} checks the cluster-mode templates by projecting
 * them onto one mode (see {@link #project}) and parsing the result as YAML.
 */
class HelmChartTest {

    static final Path CHART = Path.of("helm", "beacon");
    static final Pattern VALUES_REF = Pattern.compile("\\.Values((?:\\.[A-Za-z_][A-Za-z0-9_]*)+)");
    static final Pattern INCLUDE = Pattern.compile("(?:include|template) \"([^\"]+)\"");
    static final Pattern DEFINE = Pattern.compile("define \"([^\"]+)\"");

    @Test
    void chartYamlHasTheRequiredFields() throws IOException {
        Map<String, Object> chart = yaml(CHART.resolve("Chart.yaml"));
        assertThat(chart).containsEntry("apiVersion", "v2").containsEntry("name", "beacon")
                .containsEntry("type", "application").containsKeys("description", "appVersion");
        assertThat(String.valueOf(chart.get("version"))).matches("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?");
        assertThat(String.valueOf(chart.get("appVersion"))).isNotBlank();
    }

    @Test
    void everyValueATemplateReadsExistsInValuesYaml() throws IOException {
        Map<String, Object> values = yaml(CHART.resolve("values.yaml"));
        Set<String> refs = valueReferences();
        assertThat(refs).as("templates read values").contains("replicaCount", "image.repository", "config",
                "serviceMonitor.enabled", "dashboard.enabled");
        List<String> missing = refs.stream().filter(ref -> !exists(values, ref)).toList();
        assertThat(missing).as(".Values paths used by templates but absent from values.yaml").isEmpty();
    }

    @Test
    void chartReadmeDocumentsEveryValue() throws IOException {
        String readme = Files.readString(CHART.resolve("README.md"));
        Map<String, Object> values = yaml(CHART.resolve("values.yaml"));
        List<String> undocumented = new ArrayList<>();
        for (String key : values.keySet()) {
            if (!readme.contains("`" + key)) {
                undocumented.add(key);
            }
        }
        for (String ref : valueReferences()) {
            if (!documented(readme, ref)) {
                undocumented.add(ref);
            }
        }
        assertThat(undocumented).as("values missing from helm/beacon/README.md").isEmpty();
    }

    @Test
    void everyIncludedHelperIsDefined() throws IOException {
        Set<String> defined = new TreeSet<>();
        Set<String> included = new TreeSet<>();
        for (Path template : templates()) {
            String text = Files.readString(template);
            DEFINE.matcher(text).results().forEach(m -> defined.add(m.group(1)));
            INCLUDE.matcher(text).results().forEach(m -> included.add(m.group(1)));
        }
        assertThat(included).isNotEmpty();
        assertThat(defined).containsAll(included);
    }

    @Test
    void deploymentDefaultsAreSafeAndSingleReplica() throws IOException {
        Map<String, Object> values = yaml(CHART.resolve("values.yaml"));
        assertThat(values.get("replicaCount")).isEqualTo(1);
        assertThat(get(values, "podSecurityContext.runAsNonRoot")).isEqualTo(true);
        assertThat(get(values, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(get(values, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
        assertThat(get(values, "ingress.enabled")).isEqualTo(false);
        assertThat(get(values, "serviceMonitor.enabled")).isEqualTo(false);

        String deployment = Files.readString(CHART.resolve("templates/deployment.yaml"));
        assertThat(deployment).contains("path: /actuator/health/liveness", "path: /actuator/health/readiness",
                "mountPath: /tmp", "emptyDir: {}", "mountPath: /config", "SPRING_CONFIG_ADDITIONAL_LOCATION",
                "file:/config/application.yaml", "replicas: {{ .Values.replicaCount }}");
        assertThat(Files.readString(CHART.resolve("templates/configmap.yaml"))).contains("application.yaml:",
                "toYaml .Values.config");
    }

    @Test
    void dashboardConfigMapLoadsTheDashboardFile() throws IOException {
        String template = Files.readString(CHART.resolve("templates/dashboard-configmap.yaml"));
        assertThat(template).contains("grafana_dashboard: \"1\"", ".Files.Get \"dashboards/beacon.json\"");
        assertThat(CHART.resolve("dashboards/beacon.json")).isRegularFile();
        for (String name : List.of("service.yaml", "ingress.yaml", "serviceaccount.yaml", "pdb.yaml",
                "servicemonitor.yaml", "configmap.yaml", "NOTES.txt", "_helpers.tpl")) {
            assertThat(CHART.resolve("templates").resolve(name)).isRegularFile();
        }
    }

    static Set<String> valueReferences() throws IOException {
        Set<String> refs = new TreeSet<>();
        for (Path template : templates()) {
            Matcher m = VALUES_REF.matcher(Files.readString(template));
            while (m.find()) {
                refs.add(m.group(1).substring(1));
            }
        }
        return refs;
    }

    static List<Path> templates() throws IOException {
        try (Stream<Path> files = Files.list(CHART.resolve("templates"))) {
            return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".tpl")
                    || p.toString().endsWith(".txt")).sorted().toList();
        }
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

    static boolean exists(Map<String, Object> values, String path) {
        Object node = values;
        for (String key : path.split("\\.")) {
            if (!(node instanceof Map<?, ?> map) || !map.containsKey(key)) {
                return false;
            }
            node = map.get(key);
        }
        return true;
    }

    static Object get(Map<String, Object> values, String path) {
        Object node = values;
        for (String key : path.split("\\.")) {
            node = ((Map<?, ?>) node).get(key);
        }
        return node;
    }

    static Map<String, Object> yaml(Path file) throws IOException {
        return new Yaml().load(Files.readString(file));
    }

    static final String CLUSTER_IF = "if include \"beacon.clusterEnabled\" .";
    static final Pattern DIRECTIVE = Pattern.compile("\\{\\{-?\\s*(.*?)\\s*-?}}");
    static final Pattern COMMENT = Pattern.compile("\\{\\{-?\\s*/\\*.*?\\*/\\s*-?}}", Pattern.DOTALL);

    /**
     * A template as it renders in one mode, without a helm binary: {@code if include "beacon.clusterEnabled"}
     * blocks keep the branch of the given mode; every other block keeps all its lines; lines holding only
     * directives are dropped (so included helpers and {@code toYaml} output are absent), and an inline
     * expression becomes the plain scalar {@code tpl:<expression>} (quotes removed) that tests can look for.
     * It relies on the chart's convention of block directives on lines of their own.
     */
    static String project(String template, boolean cluster) {
        Deque<boolean[]> blocks = new ArrayDeque<>(); // {isClusterIf, inElse}
        StringBuilder out = new StringBuilder();
        for (String line : COMMENT.matcher(template).replaceAll("").split("\n", -1)) {
            if (DIRECTIVE.matcher(line).replaceAll("").isBlank() && line.contains("{{")) {
                Matcher m = DIRECTIVE.matcher(line);
                while (m.find()) {
                    String d = m.group(1);
                    if (d.matches("(if|with|range|define)\\b.*")) {
                        blocks.push(new boolean[] {d.startsWith(CLUSTER_IF), false});
                    } else if (d.startsWith("else")) {
                        blocks.peek()[1] = true;
                    } else if (d.equals("end")) {
                        blocks.pop();
                    }
                }
                continue;
            }
            boolean active = blocks.stream().allMatch(b -> !b[0] || cluster != b[1]);
            if (active) {
                out.append(DIRECTIVE.matcher(line).replaceAll(r -> Matcher.quoteReplacement(
                        "tpl:" + r.group(1).replace("\"", "")))).append('\n');
            }
        }
        assertThat(blocks).as("balanced blocks").isEmpty();
        return out.toString();
    }

    static String template(String name) throws IOException {
        return Files.readString(CHART.resolve("templates").resolve(name));
    }

    @SuppressWarnings("unchecked")
    static <T> T at(Object node, String path) {
        for (String key : path.split("\\.")) {
            node = key.matches("\\d+") ? ((List<?>) node).get(Integer.parseInt(key)) : ((Map<?, ?>) node).get(key);
        }
        return (T) node;
    }

    /** Cluster mode: headless Service, environment bound by {@link ClusterProperties}, ports, probes. */
    @Nested
    class ClusterMode {

        Map<String, Object> container() throws IOException {
            Map<String, Object> deployment = new Yaml().load(project(template("deployment.yaml"), true));
            return at(deployment, "spec.template.spec.containers.0");
        }

        Map<String, Map<String, Object>> env() throws IOException {
            List<Map<String, Object>> env = at(container(), "env");
            return env.stream().collect(Collectors.toMap(e -> (String) e.get("name"), Function.identity(),
                    (a, b) -> { throw new AssertionError("env " + a.get("name") + " set twice"); }, LinkedHashMap::new));
        }

        @Test
        void isSwitchedOnByMoreThanOneReplicaOrTheFlag() throws IOException {
            Map<String, Object> values = yaml(CHART.resolve("values.yaml"));
            assertThat(get(values, "cluster.enabled")).isEqualTo(false);
            assertThat(Files.readString(CHART.resolve("templates/_helpers.tpl")))
                    .contains("{{- if or .Values.cluster.enabled (gt (int .Values.replicaCount) 1) }}true{{ end }}");
        }

        @Test
        void singleReplicaDefaultRendersNothingOfClusterMode() throws IOException {
            String deployment = project(template("deployment.yaml"), false);
            assertThat(deployment).doesNotContain("BEACON_CLUSTER", "jgroups", "7800", "cluster.startupProbe",
                            "MANAGEMENT_ENDPOINT")
                    .contains("periodSeconds: tpl:.Values.probes.startup.periodSeconds",
                            "failureThreshold: tpl:.Values.probes.startup.failureThreshold");
            assertThat(project(template("service-cluster.yaml"), false)).isBlank();
            assertThat(project(template("NOTES.txt"), false)).doesNotContain("Cluster mode", "7800");
            String helpers = Files.readString(CHART.resolve("templates/_helpers.tpl"));
            assertThat(helpers).contains("{{- if include \"beacon.clusterEnabled\" . }}\n"
                            + "{{- $opts = append $opts \"-Djava.net.preferIPv4Stack=true\" }}",
                    "{{- else if and (include \"beacon.clusterEnabled\" .) (has .Values.cluster.podAntiAffinity");
        }

        @Test
        void headlessServiceListsEveryMemberOnTheJGroupsPort() throws IOException {
            assertThat(template("service-cluster.yaml")).startsWith("{{- " + CLUSTER_IF + " -}}");
            Map<String, Object> service = new Yaml().load(project(template("service-cluster.yaml"), true));
            assertThat(service).containsEntry("apiVersion", "v1").containsEntry("kind", "Service");
            assertThat((String) at(service, "metadata.name")).isEqualTo("tpl:include beacon.clusterServiceName .");
            assertThat((Object) at(service, "spec.clusterIP")).isEqualTo("None");
            assertThat((Object) at(service, "spec.publishNotReadyAddresses")).isEqualTo(true);
            List<Map<String, Object>> ports = at(service, "spec.ports");
            assertThat(ports).containsExactly(
                    Map.<String, Object>of("name", "jgroups", "port", 7800, "targetPort", "jgroups", "protocol", "TCP"));
            assertThat(template("service-cluster.yaml")).contains("{{- include \"beacon.selectorLabels\" . | nindent 4 }}");
            assertThat(Files.readString(CHART.resolve("templates/_helpers.tpl")))
                    .contains("printf \"%s-cluster\" (include \"beacon.fullname\" . | trunc 55 | trimSuffix \"-\")",
                            "printf \"%s.%s.svc.%s\" (include \"beacon.clusterServiceName\" .) .Release.Namespace"
                                    + " .Values.cluster.clusterDomain");
            assertThat(get(yaml(CHART.resolve("values.yaml")), "cluster.clusterDomain")).isEqualTo("cluster.local");
        }

        @Test
        void containerOpensTheJGroupsAndFailureDetectionPorts() throws IOException {
            List<Map<String, Object>> ports = at(container(), "ports");
            assertThat(ports).contains(Map.<String, Object>of("name", "jgroups", "containerPort", 7800, "protocol", "TCP"),
                    Map.<String, Object>of("name", "jgroups-fd", "containerPort", 57800, "protocol", "TCP"));
            Map<String, Map<String, Object>> env = env();
            int port = Integer.parseInt((String) env.get("BEACON_CLUSTER_PORT").get("value"));
            int offset = Integer.parseInt((String) env.get("BEACON_CLUSTER_FD_PORT_OFFSET").get("value"));
            assertThat(port).isEqualTo(7800);
            assertThat(port + offset).isEqualTo(57800);
        }

        @Test
        void environmentConfiguresDnsDiscoveryOnThePodAddress() throws IOException {
            Map<String, Map<String, Object>> env = env();
            assertThat(env.get("BEACON_CLUSTER_ENABLED")).containsEntry("value", "true");
            assertThat(env.get("BEACON_CLUSTER_DISCOVERY")).containsEntry("value", "dns");
            assertThat(env.get("BEACON_CLUSTER_CLUSTER_NAME")).containsEntry("value", "tpl:.Release.Name | quote");
            assertThat(env.get("BEACON_CLUSTER_DNS_QUERY"))
                    .containsEntry("value", "tpl:include beacon.clusterDnsQuery . | quote");
            assertThat((Object) at(env.get("BEACON_CLUSTER_BIND_ADDRESS"), "valueFrom.fieldRef.fieldPath"))
                    .isEqualTo("status.podIP");
            assertThat((Object) at(env.get("BEACON_CLUSTER_NODE_NAME"), "valueFrom.fieldRef.fieldPath"))
                    .isEqualTo("metadata.name");
            assertThat(env.get("MANAGEMENT_ENDPOINT_HEALTH_GROUP_READINESS_INCLUDE"))
                    .containsEntry("value", "readinessState,cluster");
            assertThat(env.get("JAVA_TOOL_OPTIONS")).containsEntry("value", "tpl:. | quote");
            assertThat(template("deployment.yaml")).contains("{{- with include \"beacon.javaToolOptions\" . }}");
            assertThat(Files.readString(Path.of("Dockerfile"))).doesNotContain("JAVA_TOOL_OPTIONS=")
                    .contains("\"-XX:MaxRAMPercentage=75\"");
        }

        @Test
        void environmentNamesBindToClusterProperties() throws IOException {
            Map<String, Object> sample = Map.of("BEACON_CLUSTER_ENABLED", "true",
                    "BEACON_CLUSTER_CLUSTER_NAME", "orders-beacon", "BEACON_CLUSTER_NODE_NAME", "beacon-7d9f-x2k",
                    "BEACON_CLUSTER_BIND_ADDRESS", "10.1.2.3", "BEACON_CLUSTER_PORT", "7900",
                    "BEACON_CLUSTER_FD_PORT_OFFSET", "40000", "BEACON_CLUSTER_DISCOVERY", "dns",
                    "BEACON_CLUSTER_DNS_QUERY", "beacon-cluster.ops.svc.cluster.local",
                    "MANAGEMENT_ENDPOINT_HEALTH_GROUP_READINESS_INCLUDE", "readinessState,cluster");
            Set<String> names = new TreeSet<>(env().keySet());
            names.remove("SPRING_CONFIG_ADDITIONAL_LOCATION");
            names.remove("JAVA_TOOL_OPTIONS");
            assertThat(names).containsExactlyInAnyOrderElementsOf(sample.keySet());

            Binder binder = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                    StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, sample)));
            ClusterProperties cluster = binder.bind("beacon.cluster", ClusterProperties.class).get();
            assertThat(cluster.enabled()).isTrue();
            assertThat(cluster.clusterName()).isEqualTo("orders-beacon");
            assertThat(cluster.nodeName()).isEqualTo("beacon-7d9f-x2k");
            assertThat(cluster.bindAddress()).isEqualTo("10.1.2.3");
            assertThat(cluster.port()).isEqualTo(7900);
            assertThat(cluster.fdPortOffset()).isEqualTo(40000);
            assertThat(cluster.discovery()).isEqualTo(ClusterProperties.Discovery.DNS);
            assertThat(cluster.dnsQuery()).isEqualTo("beacon-cluster.ops.svc.cluster.local");
            assertThat(binder.bind("management.endpoint.health.group.readiness.include", Bindable.setOf(String.class))
                    .get()).containsExactlyInAnyOrder("readinessState", "cluster");
        }

        @Test
        void startupProbeOutlastsTheStateTimeout() throws IOException {
            assertThat(container().get("startupProbe")).isEqualTo(Map.of(
                    "httpGet", Map.of("path", "/actuator/health/liveness", "port", "http"),
                    "periodSeconds", "tpl:.Values.cluster.startupProbe.periodSeconds",
                    "failureThreshold", "tpl:.Values.cluster.startupProbe.failureThreshold"));
            Map<String, Object> values = yaml(CHART.resolve("values.yaml"));
            int period = (Integer) get(values, "cluster.startupProbe.periodSeconds");
            int threshold = (Integer) get(values, "cluster.startupProbe.failureThreshold");
            Duration stateTimeout = new Binder().bindOrCreate("beacon.cluster", ClusterProperties.class).stateTimeout();
            assertThat(stateTimeout).isEqualTo(Duration.ofMinutes(4));
            assertThat(Duration.ofSeconds((long) period * threshold)).isGreaterThanOrEqualTo(stateTimeout.plusMinutes(1));
        }

        @Test
        void membersSpreadOverNodesAndDrainOneAtATime() throws IOException {
            Map<String, Object> values = yaml(CHART.resolve("values.yaml"));
            assertThat(get(values, "cluster.podAntiAffinity")).isEqualTo("soft");
            assertThat(get(values, "cluster.podAntiAffinityTopologyKey")).isEqualTo("kubernetes.io/hostname");
            assertThat(get(values, "podDisruptionBudget.enabled")).isEqualTo(true);
            assertThat(get(values, "podDisruptionBudget.maxUnavailable")).isEqualTo(1);
            assertThat(get(values, "podDisruptionBudget.minAvailable")).isEqualTo("");
            assertThat(Files.readString(CHART.resolve("templates/_helpers.tpl"))).contains(
                    "  preferredDuringSchedulingIgnoredDuringExecution:\n    - weight: 100\n      podAffinityTerm:\n"
                            + "        topologyKey: {{ .Values.cluster.podAntiAffinityTopologyKey }}");
            assertThat(template("deployment.yaml")).contains("{{- with include \"beacon.affinity\" . | trim }}");
        }
    }
}
