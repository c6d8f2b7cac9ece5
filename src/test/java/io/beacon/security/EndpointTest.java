package io.beacon.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EndpointTest {

    private static Endpoint of(String method, String path) {
        return Endpoint.classify(method, Endpoint.segments(path));
    }

    @Test
    void pathsNameTheirScopeServiceAndInstance() {
        assertThat(of("PUT", "/heartbeat/orders/10.0.0.5:8080"))
                .isEqualTo(new Endpoint("heartbeat", Scope.REGISTER, "orders", "10.0.0.5:8080", false));
        assertThat(of("PUT", "/heartbeat/orders/a%2Fb").instance()).isEqualTo("a/b");
        assertThat(of("DELETE", "/eureka/apps/ORDERS/i-1/status").scope()).isEqualTo(Scope.OPERATE);
        assertThat(of("DELETE", "/eureka/apps/ORDERS/i-1").action()).isEqualTo("eureka.cancel");
        assertThat(of("POST", "/eureka/apps/ORDERS/").action()).isEqualTo("eureka.register");
        assertThat(of("PUT", "/services/orders/policy").scope()).isEqualTo(Scope.OPERATE);
        assertThat(of("POST", "/register").servicesInBody()).isTrue();
        assertThat(of("POST", "/report").servicesInBody()).isTrue();
        assertThat(of("GET", "/discover").scope()).isEqualTo(Scope.READ);
        assertThat(of("GET", "/acl/tokens").scope()).isEqualTo(Scope.ADMIN);
        assertThat(of("GET", "/actuator/prometheus").scope()).isEqualTo(Scope.READ);
        assertThat(of("GET", "/actuator/metrics").scope()).isEqualTo(Scope.ADMIN);
        assertThat(of("GET", "/actuator/health/liveness").open()).isTrue();
        assertThat(of("GET", "/v3/api-docs").open()).isTrue();
        assertThat(of("POST", "/v3/api-docs").open()).isFalse();
        assertThat(of("POST", "/discover").scope()).isEqualTo(Scope.ADMIN);
    }

    @Test
    void headersGiveTheTokenOfBearerOrTheBasicPassword() {
        assertThat(TokenFilter.secret("Bearer abc")).isEqualTo("abc");
        assertThat(TokenFilter.secret("bearer abc")).isEqualTo("abc");
        assertThat(TokenFilter.secret("Basic YmVhY29uOnNlY3JldA==")).isEqualTo("secret");
        assertThat(TokenFilter.secret("Basic !!!")).isNull();
        assertThat(TokenFilter.secret("Basic YmVhY29uOg==")).isNull();
        assertThat(TokenFilter.secret("Bearer")).isNull();
        assertThat(TokenFilter.secret("Bearer a b")).isNull();
        assertThat(TokenFilter.secret("Digest abc")).isNull();
    }
}
