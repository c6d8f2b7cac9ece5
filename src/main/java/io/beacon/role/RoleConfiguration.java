package io.beacon.role;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The single node's {@link NodeRole}: present unless cluster mode provides the elected one. */
@Configuration(proxyBeanMethods = false)
class RoleConfiguration {

    @Bean
    @ConditionalOnProperty(prefix = "beacon.cluster", name = "enabled", havingValue = "false", matchIfMissing = true)
    NodeRole singleNodeRole() {
        return NodeRole.SINGLE_NODE;
    }
}
