package io.beacon.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded generators of hostile input: JSON values of every type (and numbers as written, such as
 * {@code 7.1e3} or {@code 4294967297}), mutations of a valid body (a field of the wrong type, removed,
 * repeated, unknown; the text truncated or given bytes that are not UTF-8), path segments and query
 * values with bad percent escapes, and header values. All randomness comes from the one {@link Random}.
 */
final class FuzzInputs {

    /** A number written exactly as given. */
    record Raw(String text) {
    }

    /** An object that may repeat a key (a list of entries, written in order). */
    record Entries(List<Map.Entry<String, Object>> entries) {
    }

    private static final String[] STRINGS = {"orders", "fz-seed", "", " ", "x".repeat(300), "\u043erders",
        "a\u0000b", "line\nbreak", "10s", "30", "PT10S", "-1s", "500ms", "UP", "OUT_OF_SERVICE", "success",
        "10.0.0.1", "::1", "http://127.0.0.1:1/h", "127.0.0.1:1", "v1", "eu-1", "\u00e9\u00e8", "\ud83d\ude00",
        "a/b", "%ff", "null", "true", "{}", "[]"};
    private static final String[] NUMBERS = {"0", "-1", "1", "80", "8080", "65535", "65536", "80.5", "7.1e3",
        "1e999", "-0", "4294967297", "99999999999999999999999", "1.0", "2147483648", "-2147483649", "0.0001",
        "1E2", "30", "100"};

    private final Random random;

    FuzzInputs(Random random) {
        this.random = random;
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    int between(int min, int max) {
        return min + random.nextInt(max - min + 1);
    }

    @SafeVarargs
    final <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    /** Any JSON value, scalar or not. */
    Object value(int depth) {
        int kind = random.nextInt(depth > 2 ? 5 : 8);
        return switch (kind) {
            case 0, 1 -> pick(STRINGS);
            case 2, 3 -> new Raw(pick(NUMBERS));
            case 4 -> pick(Boolean.TRUE, Boolean.FALSE, null);
            case 5 -> {
                List<Object> list = new ArrayList<>();
                int n = between(0, 3);
                for (int i = 0; i < n; i++) {
                    list.add(value(depth + 1));
                }
                yield list;
            }
            case 6 -> {
                Map<String, Object> map = new LinkedHashMap<>();
                int n = between(0, 3);
                for (int i = 0; i < n; i++) {
                    map.put(pick("a", "version", "zone", "$", "@class", "k\u0007", ""), value(depth + 1));
                }
                yield map;
            }
            default -> deep(between(2, 1200));
        };
    }

    private Object deep(int depth) {
        Object v = new Raw("1");
        for (int i = 0; i < Math.min(depth, 40); i++) {
            v = List.of(v);
        }
        return depth > 40 ? new Raw("[".repeat(depth) + "]".repeat(depth)) : v;
    }

    /** {@code base} with 0 to 3 mutations, written as JSON, sometimes damaged as bytes. */
    byte[] body(Map<String, Object> base) {
        Object doc = mutate(base, 0);
        if (chance(0.08)) {
            doc = value(0);
        } else if (chance(0.05)) {
            doc = List.of(doc);
        }
        byte[] text = json(doc).getBytes(StandardCharsets.UTF_8);
        if (chance(0.12)) {
            return damage(text);
        }
        return text;
    }

    @SuppressWarnings("unchecked")
    private Object mutate(Map<String, Object> map, int depth) {
        Map<String, Object> copy = new LinkedHashMap<>(map);
        int n = chance(0.25) ? 0 : between(1, 3);
        List<Map.Entry<String, Object>> duplicates = new ArrayList<>();
        for (int i = 0; i < n && !copy.isEmpty(); i++) {
            List<String> keys = new ArrayList<>(copy.keySet());
            String key = pick(keys);
            switch (random.nextInt(6)) {
                case 0, 1 -> copy.put(key, value(depth));
                case 2 -> copy.remove(key);
                case 3 -> copy.put(pick("unknown", "health", "last_seen", "extra"), value(depth));
                case 4 -> duplicates.add(new java.util.AbstractMap.SimpleEntry<>(key, value(depth)));
                default -> {
                    if (copy.get(key) instanceof Map<?, ?> nested && depth < 2) {
                        copy.put(key, mutate((Map<String, Object>) nested, depth + 1));
                    } else {
                        copy.put(key, value(depth));
                    }
                }
            }
        }
        if (duplicates.isEmpty()) {
            return copy;
        }
        List<Map.Entry<String, Object>> entries = new ArrayList<>(copy.entrySet());
        entries.addAll(duplicates);
        return new Entries(entries);
    }

    private byte[] damage(byte[] text) {
        return switch (random.nextInt(5)) {
            case 0 -> java.util.Arrays.copyOf(text, random.nextInt(Math.max(1, text.length)));
            case 1 -> {
                byte[] copy = text.clone();
                if (copy.length > 0) {
                    copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
                }
                yield copy;
            }
            case 2 -> new byte[0];
            case 3 -> {
                byte[] junk = new byte[between(1, 64)];
                random.nextBytes(junk);
                yield junk;
            }
            default -> ("name=fz&port=" + between(0, 99)).getBytes(StandardCharsets.US_ASCII);
        };
    }

    /** JSON text of a value built from maps, lists, strings, {@link Raw} numbers, booleans and null. */
    static String json(Object v) {
        StringBuilder sb = new StringBuilder();
        write(sb, v);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Raw raw) {
            sb.append(raw.text());
        } else if (v instanceof Boolean b) {
            sb.append(b);
        } else if (v instanceof Number n) {
            sb.append(n);
        } else if (v instanceof String s) {
            sb.append('"');
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') {
                    sb.append('\\').append(c);
                } else if (c < 0x20) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
            sb.append('"');
        } else if (v instanceof Map<?, ?> map) {
            writeEntries(sb, new ArrayList<>(map.entrySet()));
        } else if (v instanceof Entries entries) {
            writeEntries(sb, new ArrayList<>(entries.entries()));
        } else if (v instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                sb.append(i == 0 ? "" : ",");
                write(sb, list.get(i));
            }
            sb.append(']');
        } else {
            throw new IllegalArgumentException(v.getClass().getName());
        }
    }

    private static void writeEntries(StringBuilder sb, List<? extends Map.Entry<?, ?>> entries) {
        sb.append('{');
        for (int i = 0; i < entries.size(); i++) {
            sb.append(i == 0 ? "" : ",");
            write(sb, String.valueOf(entries.get(i).getKey()));
            sb.append(':');
            write(sb, entries.get(i).getValue());
        }
        sb.append('}');
    }

    /** A path segment: usually a valid one, else random text percent-encoded, sometimes badly. */
    String segment(String valid) {
        if (chance(0.55)) {
            return encode(valid);
        }
        if (chance(0.3)) {
            return pick("%zz", "%ff%fe", "a%2Fb", "a%5Cb", "%00", "%", "a;b=c", "..", "%2e%2e", "%C3%A9t%C3%A9",
                    "a%20b", "A".repeat(300), "%7B%7D", "a\"b", "a|b", "a{b}", "~", "a%3Fb", "%23");
        }
        return encode(randomText());
    }

    /** A query value: usually text percent-encoded, sometimes with bad escapes. */
    String queryValue(String valid) {
        if (chance(0.5)) {
            return encode(valid);
        }
        if (chance(0.3)) {
            return pick("%ff", "fz%ff%fe", "%00%ff", "%zz", "%", "a+b", "%2B", "", "%C3", "%E2%82");
        }
        return encode(randomText());
    }

    /** Random text of letters, digits, punctuation, controls and non-ASCII characters. */
    String randomText() {
        String alphabet = "abcXYZ019._-~:@!$&'()*+,;=/?#[] %\"<>\\^`{|}\u0000\u0007\t\u00e9\u043e\u200b";
        int n = between(0, 24);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** {@code text} percent-encoded as UTF-8, leaving unreserved characters and a few sub-delimiters. */
    static String encode(String text) {
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~:@!$'()*,".indexOf(c) >= 0) {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return sb.toString();
    }

    /** A Content-Type header value, or null for none. */
    String contentType() {
        if (chance(0.6)) {
            return "application/json";
        }
        return pick("application/json", "application/json", "application/json", "application/json;charset=UTF-8",
                null, "*/*", "application/*", "text/plain", "multipart/form-data; boundary=x", "multipart/form-data",
                "application/x-www-form-urlencoded", ";;;", "application/json; charset=bogus",
                "application/json; charset=ISO-8859-1", "application/xml", "application/problem+json",
                "APPLICATION/JSON", "application/merge-patch+json", "json", "", "text/*; q=0.5", "application/json;;");
    }

    /** An Accept header value, or null for none. */
    String accept() {
        if (chance(0.6)) {
            return null;
        }
        return pick(null, null, "*/*", "application/json", "text/html", "application/xml", "garbage;q=x",
                "text/event-stream", "application/problem+json", "image/png", "*/*;q=0", "");
    }
}
