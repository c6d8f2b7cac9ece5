package io.beacon.health;

import io.beacon.registry.CheckSpec;
import io.beacon.web.Violation;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where an active check may be aimed. Two rules, checked when an instance registers:
 * <ul>
 *   <li>the target's host is the instance's own address (any port), unless the registration may aim checks
 *       anywhere ({@link CheckTargetAuthority}); IP literals are compared as addresses, so
 *       {@code ::ffff:10.0.0.5} is {@code 10.0.0.5}, names as lower-case text;</li>
 *   <li>never a link-local or cloud metadata address: 169.254.0.0/16, fe80::/10, fd00:ec2::254, and the same
 *       IPv4 addresses inside IPv6 (IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96, 6to4 2002::/16).</li>
 * </ul>
 * Numeric hosts must be written plainly: a dotted quad without leading zeros, or an IPv6 literal; short, octal,
 * hexadecimal or single-number IPv4 forms ({@code 169.254.43518}, {@code 0251.0376.0251.0376},
 * {@code 0xa9fea9fe}, {@code 2852039166}) are refused, since resolvers read them differently. A host
 * name is not resolved at registration: {@link CheckProbe} resolves it at every probe and fails the probe,
 * without connecting, when any address it resolves to is forbidden.
 */
public final class CheckTargets {

    private static final Pattern NUMERIC_ISH = Pattern.compile("(?i)[0-9a-fx.]+");
    private static final Pattern DOTTED_QUAD = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final byte[] EC2_METADATA_V6 = {(byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};

    private CheckTargets() {
    }

    /**
     * The violation of {@code spec}'s target for an instance at {@code instanceAddress}, if any.
     *
     * @param field the request field that holds the target ({@code check.http} or {@code check.tcp})
     * @param anyHost whether this registration may aim its check at a host other than its own address
     */
    public static Optional<Violation> violation(CheckSpec.Type type, String target, String field,
            String instanceAddress, boolean anyHost) {
        String host = host(type, target);
        if (host == null || host.isEmpty()) {
            return Optional.empty(); // the syntax rules report it
        }
        Optional<InetAddress> literal;
        try {
            literal = literal(host);
        } catch (IllegalArgumentException e) {
            return Optional.of(new Violation(field, "has the numeric host '" + host + "' in a form resolvers read "
                    + "differently; write an IPv4 address as four decimal numbers (for example 10.0.0.5)"));
        }
        if (literal.isPresent() && isForbidden(literal.get())) {
            return Optional.of(new Violation(field, "must not target a link-local or cloud metadata address ('"
                    + host + "'): 169.254.0.0/16, fe80::/10 and fd00:ec2::254 are never checked"));
        }
        if (!anyHost && !sameHost(host, literal, instanceAddress)) {
            return Optional.of(new Violation(field, "must target the instance's own address '" + instanceAddress
                    + "' (any port); checking host '" + host + "' needs the operate scope for this service"));
        }
        return Optional.empty();
    }

    /** Whether a probe must never connect to {@code address}. */
    public static boolean isForbidden(InetAddress address) {
        if (address instanceof Inet4Address v4) {
            return v4.isLinkLocalAddress();
        }
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            if (v6.isLinkLocalAddress() || Arrays.equals(b, EC2_METADATA_V6)) {
                return true;
            }
            byte[] embedded = null;
            if (v6.isIPv4CompatibleAddress() || isNat64(b)) {
                embedded = Arrays.copyOfRange(b, 12, 16);
            } else if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
                embedded = Arrays.copyOfRange(b, 2, 6);
            }
            return embedded != null && (embedded[0] & 0xff) == 169 && (embedded[1] & 0xff) == 254;
        }
        return false;
    }

    private static boolean isNat64(byte[] b) {
        if ((b[0] & 0xff) != 0x00 || (b[1] & 0xff) != 0x64 || (b[2] & 0xff) != 0xff || (b[3] & 0xff) != 0x9b) {
            return false;
        }
        for (int i = 4; i < 12; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The host of a check target, without IPv6 brackets; null when the target has none. */
    static String host(CheckSpec.Type type, String target) {
        String host;
        if (type == CheckSpec.Type.HTTP) {
            try {
                host = URI.create(target).getHost();
            } catch (IllegalArgumentException e) {
                return null;
            }
        } else {
            int colon = target.lastIndexOf(':');
            host = colon < 0 ? target : target.substring(0, colon);
        }
        if (host == null) {
            return null;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host;
    }

    /**
     * The address {@code host} is written as, without any DNS lookup; empty for a name.
     *
     * @throws IllegalArgumentException for a numeric host in an ambiguous form
     */
    static Optional<InetAddress> literal(String host) {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (h.indexOf(':') >= 0) {
            return Optional.of(parse(h)); // an IPv6 literal: parsed, never looked up
        }
        if (DOTTED_QUAD.matcher(h).matches()) {
            return Optional.of(parse(h));
        }
        // a name whose every label could be read as a number (0x7f.1, 2130706433, 127.1) is not a name
        boolean numericIsh = NUMERIC_ISH.matcher(h).matches()
                && Arrays.stream(h.split("\\.", -1)).allMatch(l -> l.matches("(?i)\\d+|0x[0-9a-f]*"));
        if (numericIsh) {
            throw new IllegalArgumentException(host);
        }
        return Optional.empty();
    }

    private static InetAddress parse(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    private static boolean sameHost(String host, Optional<InetAddress> literal, String instanceAddress) {
        if (instanceAddress == null) {
            return false;
        }
        String own = instanceAddress.startsWith("[") && instanceAddress.endsWith("]")
                ? instanceAddress.substring(1, instanceAddress.length() - 1) : instanceAddress;
        if (literal.isPresent()) {
            try {
                Optional<InetAddress> ownLiteral = literal(own);
                return ownLiteral.isPresent() && ownLiteral.get().equals(literal.get());
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return normalName(host).equals(normalName(own));
    }

    private static String normalName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
