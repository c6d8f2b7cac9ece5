package io.beacon.registry;

/**
 * A service name: case-insensitive, stored in lower case, 1..253 characters of ASCII letters, digits,
 * {@code .}, {@code _} and {@code -}.
 */
public record ServiceName(String value) implements Comparable<ServiceName> {

    /** The rule, for Bean Validation and documentation. */
    public static final String PATTERN = "[A-Za-z0-9._-]{1,253}";

    private static final AsciiSet CHARACTERS = AsciiSet.of("A-Za-z0-9._-");
    private static final int MAX_LENGTH = 253;

    public ServiceName {
        if (!isValid(value)) {
            throw new InvalidNameException(value);
        }
        value = value.toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses a raw name, normalising its case. */
    public static ServiceName of(String raw) {
        return new ServiceName(raw);
    }

    /** True when the raw text is a valid name. */
    public static boolean isValid(String raw) {
        return raw != null && CHARACTERS.matches(raw, 1, MAX_LENGTH);
    }

    @Override
    public int compareTo(ServiceName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }

    /** Thrown for a name that breaks the rule; the API maps it to 400. */
    public static final class InvalidNameException extends IllegalArgumentException {
        public InvalidNameException(String raw) {
            super("Service name '" + abbreviate(raw) + "' is invalid: use 1 to 253 characters of letters, digits, '.', '_' or '-'.");
        }

        private static String abbreviate(String raw) {
            if (raw == null) {
                return "";
            }
            return raw.length() > 64 ? raw.substring(0, 64) + "..." : raw;
        }
    }
}
