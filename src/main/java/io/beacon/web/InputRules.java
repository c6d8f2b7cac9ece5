package io.beacon.web;

import io.beacon.registry.AsciiSet;
import io.beacon.registry.ServiceName;
import java.util.List;
import java.util.Map;

/**
 * The one place for Beacon's input rules: service names, instance ids, labels (zone, version), tags,
 * metadata, addresses and ports. The native API, the Eureka API, policies and discovery queries all check
 * their input here, so a rule and its wording exist once. Durations are in {@link Durations}.
 *
 * <p>Every check adds a {@link Violation} naming {@code field} (the caller's name for it: a JSON path, a
 * query parameter or a Eureka field) instead of throwing, so a client sees every mistake at once.
 */
public final class InputRules {

    /** What a valid service name is, as a violation message. */
    public static final String NAME_RULE = "must be 1 to 253 characters of letters, digits, '.', '_' or '-'";
    /** What a valid label (zone, version) is, as a violation message. */
    public static final String LABEL_RULE = "must be 1 to 128 characters of letters, digits and ._:/-";
    /** What a valid instance id is, as a violation message. */
    public static final String ID_RULE = "must be 1 to 256 characters of letters, digits and ._~:@!$&'()*+,;=-";
    /** Longest tag. */
    public static final int MAX_TAG_LENGTH = 128;

    /** Characters allowed in instance ids: those a URL path segment carries unescaped. */
    private static final AsciiSet ID = AsciiSet.of("A-Za-z0-9._~:@!$&'()*+,;=-");
    private static final int MAX_ID_LENGTH = 256;
    private static final AsciiSet LABEL = AsciiSet.of("A-Za-z0-9._:/-");
    private static final int MAX_LABEL_LENGTH = 128;

    /**
     * Size limits of an instance's metadata.
     *
     * @param maxEntries most entries
     * @param maxKeyLength longest key
     * @param maxValueLength longest value
     * @param maxBytes most bytes of all keys and values together, in UTF-8 ({@link #metadataBytes})
     */
    public record MetadataLimits(int maxEntries, int maxKeyLength, int maxValueLength, int maxBytes) {

        /** Limits without a bound on the total size. */
        public MetadataLimits(int maxEntries, int maxKeyLength, int maxValueLength) {
            this(maxEntries, maxKeyLength, maxValueLength, Integer.MAX_VALUE);
        }
    }

    private InputRules() {
    }

    /** A required service name; null (with a violation) when absent or invalid. */
    public static ServiceName name(String field, String value, List<Violation> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new Violation(field, "is required"));
            return null;
        }
        if (!ServiceName.isValid(value)) {
            errors.add(new Violation(field, NAME_RULE));
            return null;
        }
        return ServiceName.of(value);
    }

    /** An optional service name (null when absent). */
    public static ServiceName optionalName(String field, String value, List<Violation> errors) {
        return value == null ? null : name(field, value, errors);
    }

    /** An optional instance id. */
    public static void id(String field, String value, List<Violation> errors) {
        if (value != null && !ID.matches(value, 1, MAX_ID_LENGTH)) {
            errors.add(new Violation(field, ID_RULE));
        }
    }

    /** True when {@code value} is a valid label (zone, version). */
    public static boolean isLabel(String value) {
        return value != null && LABEL.matches(value, 1, MAX_LABEL_LENGTH);
    }

    /** An optional label (zone, version); returns {@code value}. */
    public static String label(String field, String value, List<Violation> errors) {
        if (value != null && !isLabel(value)) {
            errors.add(new Violation(field, LABEL_RULE));
        }
        return value;
    }

    /** A required address: an IPv4 or IPv6 literal or an RFC 1123 host name, never resolved. */
    public static void address(String field, String value, List<Violation> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new Violation(field, "is required"));
        } else if (!HostAddress.isValid(value)) {
            errors.add(new Violation(field, "must be an IPv4 or IPv6 literal or a host name"));
        }
    }

    /** True when {@code value} is {@code host:port} with a valid host and a port of 1..65535. */
    public static boolean isHostPort(String value) {
        int colon = value == null ? -1 : value.lastIndexOf(':');
        if (colon <= 0) {
            return false;
        }
        String port = value.substring(colon + 1);
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        int number = Integer.parseInt(port);
        return number >= 1 && number <= 65535 && HostAddress.isValid(value.substring(0, colon));
    }

    /** A required port, 1..65535. */
    public static void port(String field, Integer value, List<Violation> errors) {
        if (value == null) {
            errors.add(new Violation(field, "is required"));
        } else {
            range(field, value, 1, 65535, errors);
        }
    }

    /** An optional integer within {@code min..max}. */
    public static void range(String field, Integer value, int min, int max, List<Violation> errors) {
        if (value != null && (value < min || value > max)) {
            errors.add(new Violation(field, "must be between " + min + " and " + max));
        }
    }

    /** Optional tags: at most {@code maxTags}, each a non-empty tag (see {@link #tag}). */
    public static void tags(String field, List<String> tags, int maxTags, List<Violation> errors) {
        if (tags == null) {
            return;
        }
        if (tags.size() > maxTags) {
            errors.add(new Violation(field, "has " + tags.size() + " entries; at most " + maxTags + " are allowed"));
            return;
        }
        for (int i = 0; i < tags.size(); i++) {
            if (!isTag(tags.get(i))) {
                errors.add(new Violation(field + "[" + i + "]", tagRule()));
                return;
            }
        }
    }

    /** One tag, for example a discovery filter. */
    public static void tag(String field, String value, List<Violation> errors) {
        if (!isTag(value)) {
            errors.add(new Violation(field, tagRule()));
        }
    }

    private static boolean isTag(String tag) {
        return tag != null && !tag.isEmpty() && tag.length() <= MAX_TAG_LENGTH && !hasControl(tag);
    }

    private static String tagRule() {
        return "each tag must be 1 to " + MAX_TAG_LENGTH + " characters without control characters";
    }

    /** Optional metadata: string values, keys without control characters, within {@code limits}. */
    public static void metadata(String field, Map<String, String> metadata, MetadataLimits limits,
            List<Violation> errors) {
        if (metadata == null) {
            return;
        }
        if (metadata.size() > limits.maxEntries()) {
            errors.add(new Violation(field, "has " + metadata.size() + " entries; at most "
                    + limits.maxEntries() + " are allowed"));
            return;
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String key = e.getKey();
            if (!metadataKey(key, limits.maxKeyLength())) {
                errors.add(new Violation(field, "keys must be 1 to " + limits.maxKeyLength()
                        + " characters without control characters"));
                return;
            }
            if (e.getValue() == null) {
                errors.add(new Violation(field + "." + key, "must be a string, not null"));
            } else if (e.getValue().length() > limits.maxValueLength()) {
                errors.add(new Violation(field + "." + key, "is longer than " + limits.maxValueLength()
                        + " characters"));
            } else if (hasControlExceptWhitespace(e.getValue())) {
                errors.add(new Violation(field + "." + key, "must not contain control characters "
                        + "(tab, line feed and carriage return are allowed)"));
            }
        }
        long bytes = metadataBytes(metadata);
        if (bytes > limits.maxBytes()) {
            errors.add(new Violation(field, metadataBytesRule(bytes, limits.maxBytes())));
        }
    }

    /** The violation message of metadata of {@code bytes} over {@code maxBytes}. */
    static String metadataBytesRule(long bytes, int maxBytes) {
        return "has " + bytes + " bytes of keys and values (UTF-8); at most " + maxBytes
                + " are allowed (beacon.limits.max-metadata-bytes)";
    }

    /** The size of {@code metadata}: the UTF-8 lengths of every key and value added up (null values count 0). */
    public static long metadataBytes(Map<String, String> metadata) {
        if (metadata == null) {
            return 0;
        }
        long total = 0;
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            total += utf8Length(e.getKey()) + utf8Length(e.getValue());
        }
        return total;
    }

    /** The length of {@code s} in UTF-8, without encoding it (an unpaired surrogate counts as '?', 1 byte). */
    static int utf8Length(String s) {
        if (s == null) {
            return 0;
        }
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** True when {@code key} is a valid metadata key of at most {@code maxLength} characters. */
    public static boolean metadataKey(String key, int maxLength) {
        return key != null && !key.isEmpty() && key.length() <= maxLength && !hasControl(key);
    }

    /**
     * True when {@code s} holds a control character other than tab, line feed or carriage return: those
     * cannot be written in Eureka's XML answers (XML 1.0) and break log lines.
     */
    static boolean hasControlExceptWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                return true;
            }
        }
        return false;
    }

    /** True when {@code s} holds an ISO control character (U+0000..U+001F, U+007F..U+009F). */
    public static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** {@code raw} quoted for a message: at most 64 characters, control characters escaped. */
    public static String quote(String raw) {
        String shown = raw.length() > 64 ? raw.substring(0, 64) + "..." : raw;
        StringBuilder sb = new StringBuilder(shown.length() + 2).append('\'');
        shown.chars().forEach(c -> {
            if (Character.isISOControl(c)) {
                sb.append(String.format("\\u%04x", c));
            } else {
                sb.append((char) c);
            }
        });
        return sb.append('\'').toString();
    }
}
