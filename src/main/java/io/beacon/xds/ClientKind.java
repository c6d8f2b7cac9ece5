package io.beacon.xds;

import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Locale;

/**
 * Which data plane a stream serves, from its node's {@code user_agent_name}: proxyless gRPC libraries call
 * themselves "gRPC Java", "gRPC Go", ...; everything else (Envoy says "envoy") is treated as Envoy. They differ
 * in the load-balancing policies they accept (gRPC rejects all but ROUND_ROBIN, RING_HASH and LEAST_REQUEST).
 */
enum ClientKind {
    GRPC, ENVOY;

    static ClientKind of(Node node) {
        String agent = node == null ? "" : node.getUserAgentName().toLowerCase(Locale.ROOT);
        return agent.startsWith("grpc") ? GRPC : ENVOY;
    }
}
