package io.beacon.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which instance addresses are accepted: IP literals and RFC 1123 host names, nothing resolved. */
class HostAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "10.0.0.1", "0.0.0.0", "255.255.255.255", "127.0.0.1",
            "::1", "2001:db8::8a2e:370:7334", "[2001:db8::1]", "fe80::1", "::ffff:192.0.2.1",
            "localhost", "orders", "orders-1.svc.cluster.local", "my_host.example.com", "example.com.",
            "a", "x1"
    })
    void accepts(String address) {
        assertThat(HostAddress.isValid(address)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", " ", "256.0.0.1", "10.0.0", "10.0.0.1.2", "10..0.1", "1.2.3.-4",
            "-orders", "orders-", "or ders", "orders.-x", "a..b", "http://orders", "orders:8080",
            "[::1", "::g", "1:2:3:4:5:6:7:8:9", "ex\u0430mple.com", "exa\u200bmple.com", "orders/x",
            "host\n", "%31.2.3.4"
    })
    void rejects(String address) {
        assertThat(HostAddress.isValid(address)).isFalse();
    }

    /** The regular expression the IPv4 rule was before it became a loop; both must agree on every text. */
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

    @Test
    void digitsAndDotsAreAnIpv4AddressExactlyWhenTheRegularExpressionSaysSo() {
        Random random = new Random(17);
        String alphabet = "0123456789.";
        for (int n = 0; n < 200_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = 1 + random.nextInt(16);
            for (int i = 0; i < length; i++) {
                // mostly digits between dots, sometimes an edge value, to reach valid addresses often
                text.append(random.nextInt(8) == 0 ? List.of("255", "256", "0", "00", "249", "199", "300").get(random.nextInt(7))
                        : String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))));
            }
            String address = text.toString();
            assertThat(HostAddress.isValid(address)).as(address).isEqualTo(IPV4.matcher(address).matches());
        }
        assertThat(HostAddress.isValid("01.2.3.4")).isFalse();
        assertThat(HostAddress.isValid("1.2.3.4.")).isFalse();
        assertThat(HostAddress.isValid(".1.2.3.4")).isFalse();
        assertThat(HostAddress.isValid("1.2.3.0400")).isFalse();
    }

    @Test
    void limitsTheLength() {
        String label = "a".repeat(63);
        String ok = String.join(".", label, label, label, "a".repeat(61));
        assertThat(ok).hasSize(253);
        assertThat(HostAddress.isValid(ok)).isTrue();
        assertThat(HostAddress.isValid(ok + "a")).isFalse();
        assertThat(HostAddress.isValid("a".repeat(64))).as("label over 63").isFalse();
        assertThat(HostAddress.isValid(null)).isFalse();
    }
}
