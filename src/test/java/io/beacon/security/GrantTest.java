package io.beacon.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.beacon.registry.ServiceName;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrantTest {

    private static final ServiceName ORDERS = ServiceName.of("orders");

    @Test
    void parsesTheFourScopes() {
        assertThat(Grant.parse("read")).isEqualTo(new Grant(Scope.READ, "*"));
        assertThat(Grant.parse("admin").toString()).isEqualTo("admin");
        assertThat(Grant.parse("register:Orders-*")).isEqualTo(new Grant(Scope.REGISTER, "orders-*"));
        assertThat(Grant.parse("operate:*").getAuthority()).isEqualTo("SCOPE_operate:*");
    }

    @Test
    void refusesWhatIsNotAScopeWithASentence() {
        assertThatThrownBy(() -> Grant.parse("write")).hasMessageContaining("'write' is not a scope");
        assertThatThrownBy(() -> Grant.parse("register")).hasMessageContaining("needs a service pattern");
        assertThatThrownBy(() -> Grant.parse("register:")).hasMessageContaining("needs a service pattern");
        assertThatThrownBy(() -> Grant.parse("read:orders")).hasMessageContaining("takes no service pattern");
        assertThatThrownBy(() -> Grant.parse("operate:a/b")).hasMessageContaining("is not a service pattern");
    }

    @Test
    void patternsMatchWholeNamesWithStars() {
        assertThat(Grant.parse("register:orders").allows(Scope.REGISTER, ORDERS)).isTrue();
        assertThat(Grant.parse("register:orders").allows(Scope.REGISTER, ServiceName.of("orders-eu"))).isFalse();
        assertThat(Grant.parse("register:orders-*").allows(Scope.REGISTER, ServiceName.of("orders-eu"))).isTrue();
        assertThat(Grant.parse("register:orders-*").allows(Scope.REGISTER, ORDERS)).isFalse();
        assertThat(Grant.parse("register:*-eu").allows(Scope.REGISTER, ServiceName.of("pay-eu"))).isTrue();
        assertThat(Grant.parse("register:o*s").allows(Scope.REGISTER, ServiceName.of("ordersss"))).isTrue();
        assertThat(Grant.parse("register:o*s").allows(Scope.REGISTER, ServiceName.of("orderx"))).isFalse();
        assertThat(Grant.parse("register:*").allows(Scope.OPERATE, ORDERS)).isFalse();
        assertThat(Grant.parse("admin").allows(Scope.OPERATE, ORDERS)).isTrue();
        assertThat(Grant.parse("read").allows(Scope.REGISTER, ORDERS)).isFalse();
        assertThat(Grant.matches("a*a*a*a*a*b", "a".repeat(200))).isFalse();
    }

    @Test
    void principalsAllowWhatAnyGrantAllows() {
        BeaconPrincipal p = BeaconPrincipal.of("ci", BeaconPrincipal.Kind.TOKEN, List.of("read", "operate:pay-*"));
        assertThat(p.allows(Scope.READ, ORDERS)).isTrue();
        assertThat(p.allows(Scope.OPERATE, ServiceName.of("pay-eu"))).isTrue();
        assertThat(p.allows(Scope.OPERATE, ORDERS)).isFalse();
        assertThat(p.allowsSome(Scope.OPERATE)).isTrue();
        assertThat(p.allowsSome(Scope.REGISTER)).isFalse();
        assertThat(new BeaconAuthentication(p).getAuthorities()).extracting(a -> a.getAuthority())
                .containsExactlyInAnyOrder("SCOPE_read", "SCOPE_operate:pay-*");
    }
}
