/**
 * Access control: who may do what to which service.
 *
 * <p>A request is made by a {@link io.beacon.security.BeaconPrincipal} (a token from configuration or the
 * token API, later a client certificate) holding {@link io.beacon.security.Grant}s: {@code read},
 * {@code register:<pattern>}, {@code operate:<pattern>}, {@code admin}. Spring Security carries it as a
 * {@link io.beacon.security.BeaconAuthentication} whose authorities are the grants. The rest of Beacon asks
 * one question through {@link io.beacon.security.ServiceAccess}: may this request do this to this service?
 *
 * <p>{@code beacon.security.mode=open} (the default) allows everything; {@code enforced} authenticates every
 * request but the health probes and the API documents, and checks a scope on each.
 */
package io.beacon.security;
