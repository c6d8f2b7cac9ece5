package io.beacon;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Beacon's {@code beacon.*} properties as the configuration processor lists them in
 * {@code META-INF/spring-configuration-metadata.json}, and the matching rules of Spring's relaxed binding:
 * {@code evict-after}, {@code evictAfter} and {@code evict_after} are one property; the environment variable
 * {@code BEACON_LEASE_EVICTAFTER} (or {@code BEACON_LEASE_EVICT_AFTER}) is {@code beacon.lease.evict-after}.
 * Below a map, list or array property any key is accepted (map keys and indexes); below any other
 * property nothing is.
 */
final class KnownProperties {

    static final String PREFIX = "beacon";
    static final String METADATA = "META-INF/spring-configuration-metadata.json";

    private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of(PREFIX);

    /** A known property: its name and whether keys below it are accepted. */
    private record Known(String name, ConfigurationPropertyName parsed, boolean open, String envName,
            String legacyEnvName) {
    }

    private final List<Known> known;

    /** @param properties every known {@code beacon.*} property name with its type (as the metadata spells it) */
    KnownProperties(Map<String, String> properties) {
        List<Known> list = new ArrayList<>();
        properties.forEach((name, type) -> list.add(new Known(name, ConfigurationPropertyName.of(name), open(type),
                variableOf(name),
                name.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_'))));
        this.known = List.copyOf(list);
    }

    /** The {@code beacon.*} properties in every metadata file on the class path; empty when there is none. */
    static Optional<KnownProperties> load(ClassLoader classLoader) {
        Map<String, String> properties = new LinkedHashMap<>();
        JsonMapper json = JsonMapper.builder().build();
        try {
            Enumeration<URL> files = classLoader.getResources(METADATA);
            for (URL file : Collections.list(files)) {
                try (InputStream in = file.openStream()) {
                    for (JsonNode p : json.readTree(in).path("properties")) {
                        String name = p.path("name").asString("");
                        if (name.startsWith(PREFIX + ".")) {
                            properties.put(name, p.path("type").asString(""));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + METADATA, e);
        }
        return properties.isEmpty() ? Optional.empty() : Optional.of(new KnownProperties(properties));
    }

    /** Types whose properties take keys below them: maps, collections and arrays. */
    private static boolean open(String type) {
        return type.startsWith("java.util.Map") || type.startsWith("java.util.List")
                || type.startsWith("java.util.Set") || type.startsWith("java.util.Collection")
                || type.startsWith("java.util.Properties") || type.endsWith("[]");
    }

    /** True when {@code key} (a property name as written in a file or on the command line) is under beacon.*. */
    static boolean isBeaconKey(String key) {
        ConfigurationPropertyName name = ConfigurationPropertyName.adapt(key, '.');
        return ROOT.isAncestorOf(name);
    }

    /** True when {@code key} (a property name as written in a file, a system property or an argument) binds. */
    boolean isKnown(String key) {
        ConfigurationPropertyName name = ConfigurationPropertyName.adapt(key, '.');
        for (Known k : known) {
            if (k.parsed().equals(name) || (k.open() && k.parsed().isAncestorOf(name))) {
                return true;
            }
        }
        return false;
    }

    /** True when the environment variable {@code variable} binds ({@code BEACON_WATCH_KEEPALIVE} and the like). */
    boolean isKnownVariable(String variable) {
        String v = variable.toUpperCase(Locale.ROOT);
        for (Known k : known) {
            if (v.equals(k.envName()) || v.equals(k.legacyEnvName()) || (k.open()
                    && (v.startsWith(k.envName() + "_") || v.startsWith(k.legacyEnvName() + "_")))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The known property nearest to {@code key} by edit distance (ties: the first by name); for a group
     * such as {@code beacon.lease}, the nearest of the properties in it.
     */
    String nearest(String key) {
        ConfigurationPropertyName name = ConfigurationPropertyName.adapt(key, '.');
        boolean group = known.stream().anyMatch(k -> name.isAncestorOf(k.parsed()));
        return nearest(name.toString(), false, k -> !group || name.isAncestorOf(k.parsed()));
    }

    /** The known property whose environment variable is nearest to {@code variable} by edit distance. */
    String nearestVariable(String variable) {
        return nearest(variable.toUpperCase(Locale.ROOT), true, k -> true);
    }

    /** The environment variable of a property: {@code beacon.watch.keep-alive} is {@code BEACON_WATCH_KEEPALIVE}. */
    static String variableOf(String property) {
        return property.toUpperCase(Locale.ROOT).replace("-", "").replace('.', '_');
    }

    private String nearest(String text, boolean variable, Predicate<Known> among) {
        Known best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Known k : known) {
            if (!among.test(k)) {
                continue;
            }
            int d = distance(text, variable ? k.envName() : k.name());
            if (d < bestDistance || (d == bestDistance && k.name().compareTo(best.name()) < 0)) {
                bestDistance = d;
                best = k;
            }
        }
        return best.name();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
