package io.beacon.web;

import io.beacon.registry.AsciiSet;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Validates instance addresses: an IPv4 or IPv6 literal, or an RFC 1123 host name. Never resolves names. */
final class HostAddress {

    private static final AsciiSet DIGITS_AND_DOTS = AsciiSet.of("0-9.");
    private static final AsciiSet IPV6_CHARS = AsciiSet.of("0-9A-Fa-f:.");
    private static final Pattern HOST_NAME = Pattern.compile(
            "[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?");

    private HostAddress() {
    }

    static boolean isValid(String address) {
        if (address == null || address.isEmpty() || address.length() > 253) {
            return false;
        }
        if (address.indexOf(':') >= 0) {
            String literal = address.startsWith("[") && address.endsWith("]")
                    ? address.substring(1, address.length() - 1) : address;
            if (!IPV6_CHARS.matches(literal, 1, Integer.MAX_VALUE)) {
                return false;
            }
            try {
                // An IPv4-mapped literal (::ffff:192.0.2.1) parses to an Inet4Address; it is still an IPv6
                // literal. A text with ':' is only ever parsed as a literal, never resolved.
                InetAddress parsed = InetAddress.getByName(literal);
                return parsed instanceof Inet6Address || parsed instanceof Inet4Address;
            } catch (UnknownHostException | SecurityException e) {
                return false;
            }
        }
        if (DIGITS_AND_DOTS.matches(address, 1, Integer.MAX_VALUE)) {
            return isIpv4(address);
        }
        return HOST_NAME.matcher(address).matches();
    }

    /** Four dot-separated decimal numbers 0 to 255 without leading zeros (digits and dots only). */
    private static boolean isIpv4(String address) {
        int parts = 0;
        int start = 0;
        while (start <= address.length()) {
            int end = address.indexOf('.', start);
            if (end < 0) {
                end = address.length();
            }
            int length = end - start;
            if (length < 1 || length > 3 || length > 1 && address.charAt(start) == '0'
                    || Integer.parseInt(address, start, end, 10) > 255 || ++parts > 4) {
                return false;
            }
            start = end + 1;
        }
        return parts == 4;
    }
}
