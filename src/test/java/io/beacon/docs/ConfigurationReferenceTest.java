package io.beacon.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The configuration reference agrees with the properties Beacon really has, as recorded in the
 * configuration metadata: every {@code beacon.*} property is documented, every property the documents
 * name exists, every {@code BEACON_*} environment variable they name binds to one, and the generated
 * table is current. Run with {@code -Dbeacon.docs.write=true} to regenerate the table first.
 */
class ConfigurationReferenceTest {

    /** A property-like token that is not part of a longer name ({@code io.beacon.x}, {@code target/beacon.jar}). */
    static final Pattern PROPERTY = Pattern.compile("(?<![\\w./-])beacon\\.[a-z][a-z0-9-]*(?:\\.[a-z][a-z0-9-]*)*");
    static final Pattern ENVIRONMENT_VARIABLE = Pattern.compile("(?<![\\w])BEACON_[A-Z0-9_]+");

    static Map<String, ConfigurationReference.Property> properties;

    @BeforeAll
    static void readMetadata() throws IOException {
        if (Boolean.getBoolean("beacon.docs.write")) {
            ConfigurationReference.write();
        }
        properties = ConfigurationReference.properties();
    }

    @Test
    void metadataHasTheBeaconProperties() {
        assertThat(properties).as("beacon.* properties in the metadata").hasSizeGreaterThan(40)
                .containsKeys("beacon.lease.duration", "beacon.cluster.dns-query", "beacon.watch.max-wait");
        assertThat(properties.get("beacon.lease.duration").defaultValue()).isEqualTo("30s");
    }

    @Test
    void everyPropertyIsDocumented() {
        Set<String> documented = documentedProperties(Docs.read(ConfigurationReference.DOCUMENT));
        Set<String> missing = new TreeSet<>(properties.keySet());
        missing.removeAll(documented);
        assertThat(missing).as("beacon.* properties missing from %s (regenerate it: -Dbeacon.docs.write=true)",
                ConfigurationReference.DOCUMENT).isEmpty();
    }

    @Test
    void everyPropertyTheDocumentsNameExists() {
        Map<String, Set<String>> unknown = new TreeMap<>();
        Docs.all().forEach((file, text) -> {
            for (String name : documentedProperties(text)) {
                if (!properties.containsKey(name) && !isGroup(name) && !belowAMap(name) && !LOGGERS.contains(name)) {
                    unknown.computeIfAbsent(file.toString(), f -> new TreeSet<>()).add(name);
                }
            }
        });
        assertThat(unknown).as("beacon.* names in the documents that are neither a property nor a group").isEmpty();
    }

    @Test
    void everyEnvironmentVariableTheDocumentsNameBindsToAProperty() {
        Map<String, String> byVariable = new TreeMap<>();
        properties.keySet().forEach(p -> byVariable.put(ConfigurationReference.environmentVariable(p), p));
        Map<String, Set<String>> unknown = new TreeMap<>();
        Docs.all().forEach((file, text) -> {
            Matcher m = ENVIRONMENT_VARIABLE.matcher(text);
            while (m.find()) {
                String name = m.group();
                boolean prefix = name.endsWith("_") && byVariable.keySet().stream().anyMatch(v -> v.startsWith(name));
                boolean belowAMap = properties.values().stream().anyMatch(p -> p.type().startsWith("java.util.Map<")
                        && name.startsWith(ConfigurationReference.environmentVariable(p.name()) + "_"));
                if (!byVariable.containsKey(name) && !prefix && !belowAMap) {
                    unknown.computeIfAbsent(file.toString(), f -> new TreeSet<>()).add(m.group());
                }
            }
        });
        assertThat(unknown).as("BEACON_* variables that Spring Boot binds to no property (dots become underscores, "
                + "dashes are removed: beacon.cluster.dns-query is BEACON_CLUSTER_DNSQUERY)").isEmpty();
        assertThat(ConfigurationReference.environmentVariable("beacon.cluster.dns-query"))
                .isEqualTo("BEACON_CLUSTER_DNSQUERY");
    }

    @Test
    void generatedReferenceIsCurrent() {
        String document = Docs.read(ConfigurationReference.DOCUMENT);
        assertThat(ConfigurationReference.currentBlock(document))
                .as("the generated block of %s; regenerate it: ./mvnw -o -q test -Dtest=ConfigurationReferenceTest "
                        + "-Dbeacon.docs.write=true", ConfigurationReference.DOCUMENT)
                .isEqualTo(ConfigurationReference.render(properties));
    }

    @Test
    void javadocBecomesMarkdown() {
        assertThat(ConfigurationReference.description("largest {@code wait} honoured; a|b"))
                .isEqualTo("Largest `wait` honoured; a\\|b");
        assertThat(ConfigurationReference.type("java.time.Duration")).isEqualTo("duration");
        assertThat(ConfigurationReference.type("io.beacon.cluster.ClusterProperties$Discovery"))
                .isEqualTo("`static` or `dns`");
        assertThat(documentedProperties("set `beacon.lease.duration`, not io.beacon.lease or target/beacon.jar"))
                .containsExactly("beacon.lease.duration");
    }

    @Test
    void metadataIsWhereTheGeneratorLooks() {
        assertThat(Files.exists(ConfigurationReference.METADATA)).isTrue();
        assertThat(Files.exists(Path.of("docs", "configuration.md"))).isTrue();
    }

    /** A prefix such as {@code beacon.cluster} or {@code beacon.outlier.*} under which properties exist. */
    /** Logger names that look like properties ({@code logging.level.beacon.audit} sets one). */
    private static final Set<String> LOGGERS = Set.of("beacon.audit");

    /** A key below a map property ({@code beacon.security.tokens.<id>.secret}). */
    private static boolean belowAMap(String name) {
        return properties.values().stream().anyMatch(p -> p.type().startsWith("java.util.Map<")
                && name.startsWith(p.name() + "."));
    }

    private static boolean isGroup(String name) {
        String prefix = name.endsWith(".") ? name : name + ".";
        return properties.keySet().stream().anyMatch(p -> p.startsWith(prefix));
    }

    static Set<String> documentedProperties(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = PROPERTY.matcher(text);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }
}
