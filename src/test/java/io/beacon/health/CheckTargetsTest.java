package io.beacon.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.CheckSpec;
import io.beacon.web.Violation;
import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Where a check may be aimed: own address, never link-local or metadata, numeric hosts written plainly. */
class CheckTargetsTest {

    static Optional<Violation> http(String url, String address, boolean anyHost) {
        return CheckTargets.violation(CheckSpec.Type.HTTP, url, "check.http", address, anyHost);
    }

    static Optional<Violation> tcp(String target, String address, boolean anyHost) {
        return CheckTargets.violation(CheckSpec.Type.TCP, target, "check.tcp", address, anyHost);
    }

    @ParameterizedTest
    @CsvSource({
            "http://10.9.9.9:8080/health, 10.9.9.9",
            "http://10.9.9.9:18999/any/port/is/fine, 10.9.9.9",
            "https://orders.internal/health, orders.internal",
            "http://ORDERS.internal./health, orders.internal",
            "http://[::ffff:10.9.9.9]:80/h, 10.9.9.9",
            "http://[2001:db8::1]:80/h, 2001:db8::1",
            "http://[2001:db8:0:0::1]:80/h, [2001:db8::1]"})
    void aCheckOfTheInstancesOwnAddressOnAnyPortIsAllowed(String url, String address) {
        assertThat(http(url, address, false)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "http://127.0.0.1:18999/internal/admin, 10.9.9.9",
            "http://localhost:8080/health, 127.0.0.1",
            "http://10.9.9.10:8080/health, 10.9.9.9",
            "http://evil.example/health, orders.internal"})
    void anotherHostIsRefusedNamingTheFieldAndTheScopeThatWouldAllowIt(String url, String address) {
        Violation v = http(url, address, false).orElseThrow();
        assertThat(v.field()).isEqualTo("check.http");
        assertThat(v.message()).contains("own address '" + address + "'").contains("operate scope");
        assertThat(http(url, address, true)).as("with operate").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/", "http://169.254.0.1:80/",
            "http://[fd00:ec2::254]/latest/meta-data/", "http://[::ffff:169.254.169.254]/",
            "http://[::ffff:a9fe:a9fe]/", "http://[0:0:0:0:0:ffff:169.254.169.254]/", "http://[::169.254.169.254]/",
            "http://[64:ff9b::169.254.169.254]/", "http://[2002:a9fe:a9fe::1]/", "http://[fe80::1]/"})
    void linkLocalAndMetadataAddressesAreRefusedEvenWithOperateAndEvenAsTheOwnAddress(String url) {
        Violation v = http(url, "169.254.169.254", true).orElseThrow();
        assertThat(v.field()).isEqualTo("check.http");
        assertThat(v.message()).contains("link-local or cloud metadata");
        assertThat(http(url, "169.254.169.254", false)).isPresent();
    }

    /** (Most of these are not URLs to java.net.URI at all, so an HTTP check refuses them as malformed first.) */
    @ParameterizedTest
    @ValueSource(strings = {"2852039166", "0xa9fea9fe", "0251.0376.0251.0376", "169.254.43518", "0x7f.1", "127.1",
            "010.9.9.9", "169.254.169.254."})
    void numericHostsInAmbiguousFormsAreRefused(String host) {
        Violation v = tcp(host + ":80", "10.9.9.9", true).orElseThrow();
        assertThat(v.field()).isEqualTo("check.tcp");
        assertThat(v.message()).containsAnyOf("four decimal numbers", "link-local");
        assertThat(http("http://" + host + "/", "10.9.9.9", true)).as("as a URL host, when URI reads one")
                .satisfiesAnyOf(o -> assertThat(o).isPresent(), o -> assertThat(CheckTargets.host(CheckSpec.Type.HTTP,
                        "http://" + host + "/")).isNull());
    }

    @ParameterizedTest
    @CsvSource({
            "169.254.169.254:80, link-local",
            "[fd00:ec2::254]:80, link-local",
            "127.0.0.1:22, own address",
            "2852039166:80, four decimal numbers"})
    void tcpTargetsFollowTheSameRules(String target, String reason) {
        Violation v = tcp(target, "10.9.9.9", false).orElseThrow();
        assertThat(v.field()).isEqualTo("check.tcp");
        assertThat(v.message()).contains(reason);
        assertThat(tcp("10.9.9.9:5432", "10.9.9.9", false)).isEmpty();
        assertThat(tcp("[2001:db8::7]:5432", "2001:db8::7", false)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"169.254.169.254, true", "169.254.0.1, true", "::ffff:169.254.1.1, true", "fd00:ec2::254, true",
            "fe80::1, true", "10.0.0.1, false", "127.0.0.1, false", "fd00:ec2::253, false", "2001:db8::1, false",
            "64:ff9b::a9fe:a9fe, true", "64:ff9b::a00:1, false"})
    void forbiddenAddressesAsAProbeSeesThem(String address, boolean forbidden) throws Exception {
        assertThat(CheckTargets.isForbidden(InetAddress.getByName(address))).isEqualTo(forbidden);
    }
}
