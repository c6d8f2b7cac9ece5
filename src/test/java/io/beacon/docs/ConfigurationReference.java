package io.beacon.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code beacon.*} configuration reference in {@code docs/configuration.md}, generated from the
 * metadata that {@code spring-boot-configuration-processor} writes from the Javadoc of the
 * {@code @ConfigurationProperties} records. Only the block between {@link #BEGIN} and {@link #END} is
 * generated; the prose around it is written by hand.
 *
 * <p>{@code main} (or {@code ConfigurationReferenceTest} with {@code -Dbeacon.docs.write=true}) rewrites
 * the block after {@code ./mvnw -o -q compile}.
 */
final class ConfigurationReference {

    static final Path METADATA = Path.of("target", "classes", "META-INF", "spring-configuration-metadata.json");
    static final Path DOCUMENT = Path.of("docs", "configuration.md");
    static final String BEGIN = "<!-- BEGIN GENERATED: beacon.* properties from spring-configuration-metadata.json;"
            + " regenerate with ./mvnw -o -q test -Dtest=ConfigurationReferenceTest -Dbeacon.docs.write=true -->";
    static final String END = "<!-- END GENERATED -->";

    /** Where each group is explained in prose. */
    static final Map<String, String> TOPICS = Map.ofEntries(
            Map.entry("beacon.balance", "discovery.md#picking-one-instance"),
            Map.entry("beacon.cluster", "cluster.md"),
            Map.entry("beacon.eureka", "eureka-prometheus.md#eureka"),
            Map.entry("beacon.health", "health.md#active-checks"),
            Map.entry("beacon.lease", "api.md#lease-lifecycle"),
            Map.entry("beacon.limits", "operations.md#limits"),
            Map.entry("beacon.outlier", "health.md#client-reports-and-outlier-ejection"),
            Map.entry("beacon.security", "security.md"),
            Map.entry("beacon.self-preservation", "health.md#self-preservation"),
            Map.entry("beacon.sweep", "api.md#lease-lifecycle"),
            Map.entry("beacon.watch", "watches.md"));

    /** One documented property. */
    record Property(String name, String type, String defaultValue, String description) {

        String group() {
            return name.substring(0, name.lastIndexOf('.'));
        }
    }

    private ConfigurationReference() {
    }

    /** Every {@code beacon.*} property of the metadata, by name. */
    static Map<String, Property> properties(String metadataJson) {
        JsonNode root = JsonMapper.builder().build().readTree(metadataJson);
        Map<String, Property> properties = new TreeMap<>();
        for (JsonNode p : root.path("properties")) {
            String name = p.path("name").asString();
            if (!name.startsWith("beacon.")) {
                continue;
            }
            properties.put(name, new Property(name, p.path("type").asString(""),
                    defaultValue(p.get("defaultValue")), p.path("description").asString("")));
        }
        return properties;
    }

    static Map<String, Property> properties() throws IOException {
        if (!Files.exists(METADATA)) {
            throw new IllegalStateException(METADATA + " is missing: run ./mvnw -o -q compile first");
        }
        return properties(Files.readString(METADATA));
    }

    /** The generated block, markers included. */
    static String render(Map<String, Property> properties) {
        Map<String, List<Property>> groups = properties.values().stream()
                .collect(Collectors.groupingBy(Property::group, TreeMap::new, Collectors.toList()));
        StringBuilder out = new StringBuilder(BEGIN).append("\n");
        groups.forEach((group, members) -> {
            out.append("\n### `").append(group).append(".*`\n\n");
            String topic = TOPICS.get(group);
            if (topic != null) {
                out.append("Explained in [").append(topic.replaceAll("#.*", "")).append("](").append(topic)
                        .append(").\n\n");
            }
            out.append("| Property | Type | Default | Environment variable | Meaning |\n");
            out.append("|---|---|---|---|---|\n");
            for (Property p : members) {
                out.append("| `").append(p.name()).append("` | ").append(type(p.type())).append(" | ")
                        .append(p.defaultValue() == null ? "(none)" : "`" + p.defaultValue() + "`").append(" | `")
                        .append(environmentVariable(p.name())).append("` | ").append(description(p.description()))
                        .append(" |\n");
            }
        });
        return out.append("\n").append(END).toString();
    }

    /**
     * The environment variable Spring Boot binds to a property: dots become underscores, dashes are
     * removed, everything upper case ({@code beacon.cluster.dns-query} → {@code BEACON_CLUSTER_DNSQUERY}).
     */
    static String environmentVariable(String property) {
        return property.replace(".", "_").replace("-", "").toUpperCase(Locale.ROOT);
    }

    static String type(String javaType) {
        return switch (javaType) {
            case "java.time.Duration" -> "duration";
            case "java.lang.Integer", "java.lang.Long", "int", "long" -> "integer";
            case "java.lang.Boolean", "boolean" -> "boolean";
            case "java.lang.String" -> "string";
            default -> {
                if (javaType.startsWith("java.util.List<") || javaType.startsWith("java.util.Set<")) {
                    yield "list";
                }
                if (javaType.startsWith("java.util.Map<")) {
                    yield "map";
                }
                yield enumValues(javaType);
            }
        };
    }

    private static String enumValues(String javaType) {
        try {
            Class<?> type = Class.forName(javaType, false, ConfigurationReference.class.getClassLoader());
            if (type.isEnum()) {
                return Arrays.stream(type.getEnumConstants()).map(c -> "`" + c.toString().toLowerCase(Locale.ROOT) + "`")
                        .collect(Collectors.joining(" or "));
            }
        } catch (ClassNotFoundException e) {
            // fall through: show the simple name
        }
        return javaType.substring(javaType.lastIndexOf('.') + 1);
    }

    /** The Javadoc line as Markdown: {@code {@code x}} becomes {@code `x`}, first letter upper case. */
    static String description(String javadoc) {
        String text = javadoc.replaceAll("\\{@code ([^}]*)}", "`$1`").replaceAll("\\{@link ([^}]*)}", "$1")
                .replaceAll("\\s+", " ").replace("|", "\\|").trim();
        if (text.isEmpty()) {
            return "";
        }
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static String defaultValue(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(v -> items.add(v.asString()));
            return String.join(",", items);
        }
        return value.asString();
    }

    /** The document with its generated block replaced by {@code block}. */
    static String replaceBlock(String document, String block) {
        int begin = document.indexOf(BEGIN);
        int end = document.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalStateException(DOCUMENT + " has no generated block between " + BEGIN + " and " + END);
        }
        return document.substring(0, begin) + block + document.substring(end + END.length());
    }

    /** The generated block currently in the document, markers included. */
    static String currentBlock(String document) {
        int begin = document.indexOf(BEGIN);
        int end = document.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalStateException(DOCUMENT + " has no generated block between " + BEGIN + " and " + END);
        }
        return document.substring(begin, end + END.length());
    }

    /** Rewrites the generated block of {@code docs/configuration.md} from the current metadata. */
    static void write() throws IOException {
        String document = Files.readString(DOCUMENT);
        Files.writeString(DOCUMENT, replaceBlock(document, render(properties())));
    }

    public static void main(String[] args) throws IOException {
        write();
    }
}
