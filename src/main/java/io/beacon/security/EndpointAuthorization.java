package io.beacon.security;

import io.beacon.registry.ServiceName;
import java.util.function.Supplier;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Spring Security's decision for a request in enforced mode: the scope its {@link Endpoint} needs, on the
 * service of its path. A denial carries the scope that was needed ({@link Denied}) for the 403.
 */
final class EndpointAuthorization implements AuthorizationManager<RequestAuthorizationContext> {

    /** A denial that knows what would have been allowed. */
    static final class Denied extends AuthorizationDecision {
        private final AccessDeniedProblem problem;

        Denied(AccessDeniedProblem problem) {
            super(false);
            this.problem = problem;
        }

        AccessDeniedProblem problem() {
            return problem;
        }
    }

    private static final AuthorizationDecision GRANTED = new AuthorizationDecision(true);

    @Override
    public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
            RequestAuthorizationContext context) {
        Endpoint endpoint = Endpoint.of(context.getRequest());
        if (endpoint.open()) {
            return GRANTED;
        }
        if (!(authentication.get() instanceof BeaconAuthentication beacon)) {
            return new AuthorizationDecision(false);
        }
        BeaconPrincipal principal = beacon.getPrincipal();
        Scope scope = endpoint.scope();
        ServiceName service = scope.perService() ? endpoint.serviceName() : null;
        boolean allowed = service != null ? principal.allows(scope, service) : principal.allowsSome(scope);
        if (allowed) {
            return GRANTED;
        }
        String needed = !scope.perService() ? scope.label()
                : scope.label() + ":" + (service != null ? service.value() : "<service>");
        return new Denied(new AccessDeniedProblem(principal.id(), needed,
                Actions.describe(scope, service != null ? service.value() : null)));
    }
}
