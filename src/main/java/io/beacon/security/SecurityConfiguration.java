package io.beacon.security;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import org.infinispan.manager.EmbeddedCacheManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderNotFoundException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.context.NullSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security for Beacon, resource-server style: stateless (no session, no security context kept
 * between requests), no CSRF (not a browser session API), no form login, no user accounts. In open mode
 * every request is allowed; in enforced mode {@link TokenFilter} authenticates and
 * {@link EndpointAuthorization} decides, with 401 and 403 as problems ({@link Problems}). {@link AuditLog}
 * wraps both, so denials are audited too.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    ServiceAccess serviceAccess(SecurityProperties properties) {
        boolean enforced = properties.mode() == SecurityProperties.Mode.ENFORCED;
        if (!enforced) {
            log.warn("beacon.security.mode is 'open': every request is allowed and writes are unauthenticated; "
                    + "set beacon.security.mode=enforced with tokens outside local use (docs/security.md)");
        }
        return new ServiceAccess(enforced);
    }

    @Bean
    DenialCounter authDenials(MeterRegistry meters) {
        return new DenialCounter(meters);
    }

    /** The token API's store: replicated when the cluster's cache manager is there, else this member's. */
    @Bean
    TokenStore tokenStore(ObjectProvider<EmbeddedCacheManager> cluster) {
        EmbeddedCacheManager manager = cluster.getIfAvailable();
        return manager != null ? ReplicatedTokenStore.on(manager) : new LocalTokenStore();
    }

    @Bean
    Tokens tokens(SecurityProperties properties, TokenStore store, Clock clock,
            ObjectProvider<RequestAuthenticator> authenticators) {
        boolean adminElsewhere = authenticators.orderedStream().anyMatch(a -> a.mayGrant(Scope.ADMIN));
        return new Tokens(ConfiguredTokens.read(properties, clock.instant(), adminElsewhere), store, clock);
    }

    /** The same tokens for Beacon's other ports (the xDS gRPC server). */
    @Bean
    TokenCheck tokenCheck(SecurityProperties properties, Tokens tokens, DenialCounter denials) {
        return new TokenCheck(properties.mode() == SecurityProperties.Mode.ENFORCED, tokens, denials);
    }

    /** Beacon has no user names and passwords; this keeps Spring Boot from making up a default user. */
    @Bean
    AuthenticationManager noPasswordLogins() {
        return authentication -> {
            throw new ProviderNotFoundException("Beacon authenticates tokens only");
        };
    }

    /**
     * Audit lines queued for one writing thread instead of written under the log appender's lock by each
     * request ({@code beacon.security.audit.queue-size}, {@code 0} for the latter); closed after the web server
     * has finished its requests, writing out what is queued. No bean when the lines stay synchronous.
     */
    @Bean
    AuditWriter auditWriter(AuditProperties audit) {
        return audit.queueSize() > 0 ? AuditWriter.install(audit.queueSize()) : null;
    }

    /**
     * No Micrometer observation per security filter, per authentication and per authorization decision: on
     * a heartbeat they cost more than the access check itself (timers and key values built on every request).
     * A request is still timed once, as {@code http.server.requests}; refusals are counted by
     * {@link DenialCounter}.
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * Paths are checked by Beacon's own rules and handlers (instance ids may hold encoded characters);
     * Spring Security's firewall must not refuse what the API accepts.
     */
    @Bean
    WebSecurityCustomizer beaconFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowUrlEncodedSlash(true);
        firewall.setAllowUrlEncodedPercent(true);
        firewall.setAllowSemicolon(true);
        firewall.setAllowUrlEncodedPeriod(true);
        firewall.setAllowBackSlash(true);
        firewall.setAllowUrlEncodedDoubleSlash(true);
        firewall.setAllowNull(false);
        firewall.setUnsafeAllowAnyHttpMethod(true);
        firewall.setAllowedHeaderNames(name -> true);
        firewall.setAllowedHeaderValues(value -> true);
        firewall.setAllowedParameterNames(name -> true);
        firewall.setAllowedParameterValues(value -> true);
        return web -> web.httpFirewall(firewall);
    }

    @Bean
    SecurityFilterChain beaconSecurity(HttpSecurity http, SecurityProperties properties, Tokens tokens,
            DenialCounter denials, ObjectProvider<RequestAuthenticator> authenticators, Clock clock,
            AuditProperties audit) throws Exception {
        http.csrf(csrf -> csrf.disable())
                .cors(cors -> cors.disable())
                .headers(headers -> headers.disable())
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .anonymous(anonymous -> anonymous.disable())
                // stateless: no session is ever made or read, so neither session filter is needed
                .sessionManagement(session -> session.disable())
                // nothing in Beacon asks the servlet API who the user is (request.getUserPrincipal())
                .servletApi(servletApi -> servletApi.disable())
                .securityContext(context -> context.securityContextRepository(new NullSecurityContextRepository()))
                .addFilterBefore(new AuditLog(clock, audit.renewals()), SecurityContextHolderFilter.class);
        if (properties.mode() == SecurityProperties.Mode.OPEN) {
            return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll()).build();
        }
        http.addFilterBefore(new TokenFilter(tokens, authenticators.orderedStream().toList(), denials), AuthorizationFilter.class)
                .authorizeHttpRequests(requests -> requests
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .anyRequest().access(new EndpointAuthorization()))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> {
                            denials.count(DenialCounter.Reason.MISSING);
                            Problems.unauthorized(request, response, Problems.MISSING_DETAIL, false);
                        })
                        .accessDeniedHandler((request, response, e) -> {
                            denials.count(DenialCounter.Reason.SCOPE);
                            Problems.forbidden(request, response, problemOf(e, request));
                        }));
        return http.build();
    }

    private static AccessDeniedProblem problemOf(Exception e, jakarta.servlet.http.HttpServletRequest request) {
        if (e instanceof AuthorizationDeniedException denied
                && denied.getAuthorizationResult() instanceof EndpointAuthorization.Denied scoped) {
            return scoped.problem();
        }
        Object principal = request.getAttribute(TokenFilter.PRINCIPAL_ATTRIBUTE);
        Endpoint endpoint = Endpoint.of(request);
        Scope scope = endpoint.scope() != null ? endpoint.scope() : Scope.ADMIN;
        return new AccessDeniedProblem(principal != null ? principal.toString() : "(none)", scope.label(),
                Actions.describe(scope, null));
    }
}
