package io.beacon.web;

import static org.assertj.core.api.Assertions.assertThat;

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
