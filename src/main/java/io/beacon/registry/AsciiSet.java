package io.beacon.registry;

/**
 * A set of ASCII characters, for the allowed-characters rules of names, ids and labels: checked with two
 * bit masks instead of a regular expression, whose {@code Matcher} per check was, after the body itself, the
 * largest allocation of a registration.
 */
public final class AsciiSet {

    private final long low;
    private final long high;

    private AsciiSet(long low, long high) {
        this.low = low;
        this.high = high;
    }

    /**
     * The characters of {@code spec}, where {@code a-z} is a range and a {@code -} first or last stands for
     * itself, as in a regular expression's character class: {@code of("A-Za-z0-9._-")}.
     */
    public static AsciiSet of(String spec) {
        long low = 0;
        long high = 0;
        for (int i = 0; i < spec.length(); i++) {
            char first = spec.charAt(i);
            char last = first;
            if (i + 2 < spec.length() && spec.charAt(i + 1) == '-') {
                last = spec.charAt(i + 2);
                i += 2;
            }
            if (first > last || last > 127) {
                throw new IllegalArgumentException("not an ASCII range: " + first + "-" + last);
            }
            for (char c = first; c <= last; c++) {
                if (c < 64) {
                    low |= 1L << c;
                } else {
                    high |= 1L << (c - 64);
                }
            }
        }
        return new AsciiSet(low, high);
    }

    /** Whether {@code c} is in the set. */
    public boolean contains(char c) {
        return c < 64 ? (low & (1L << c)) != 0 : c < 128 && (high & (1L << (c - 64))) != 0;
    }

    /** Whether {@code text} is {@code min} to {@code max} characters long, all of them in the set. */
    public boolean matches(String text, int min, int max) {
        int length = text.length();
        if (length < min || length > max) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (!contains(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
