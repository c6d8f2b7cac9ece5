package io.beacon.xds;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The xDS control plane (Aggregated Discovery Service for Envoy and proxyless gRPC), under {@code beacon.xds.*}.
 *
 * @param enabled serve xDS on its own gRPC port
 * @param port port of the xDS gRPC server (0 picks a free one)
 * @param address address the xDS server binds to; empty means the address of the HTTP server
 *     ({@code server.address}), or every interface when that is not set either
 * @param versionHeader request header whose value routes a call to that version's subset of a service with a
 *     version split
 * @param hashHeader request header hashed by {@code consistent_hash} services (RING_HASH clusters)
 */
@ConfigurationProperties("beacon.xds")
@Validated
record XdsProperties(
        @DefaultValue("false") boolean enabled,
        @Min(0) @Max(65535) @DefaultValue("18000") int port,
        @DefaultValue("") String address,
        @NotBlank @DefaultValue("version") String versionHeader,
        @NotBlank @DefaultValue("x-hash-key") String hashHeader) {
}
