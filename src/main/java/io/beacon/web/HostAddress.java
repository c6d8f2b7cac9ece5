package io.beacon.web;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Validates instance addresses: an IPv4 or IPv6 literal, or an RFC 1123 host name. Never resolves names. */
final class HostAddress {

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
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
            if (!IPV6_CHARS.matcher(literal).matches()) {
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
        if (DIGITS_AND_DOTS.matcher(address).matches()) {
            return IPV4.matcher(address).matches();
        }
        return HOST_NAME.matcher(address).matches();
    }
}
