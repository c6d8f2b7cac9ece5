package io.beacon.ops;

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
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Checks the Helm chart without a helm binary: Chart.yaml and values.yaml parse and carry the required
 * fields, every {@code .Values.x.y} a template reads exists in values.yaml and is documented in the chart's
 * README, every included helper is defined, and the Deployment keeps the probes, security and config
 * mount the operations guide promises.
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
}
