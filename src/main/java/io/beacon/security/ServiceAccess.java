package io.beacon.security;

import io.beacon.registry.InstanceKey;
import io.beacon.registry.ServiceName;
import java.util.Collection;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The one question the rest of Beacon asks about access: may the current request do this to this service?
 *
 * <p>Every endpoint whose services are in the path ({@code /heartbeat/{name}/{id}},
 * {@code /services/{name}/policy}, {@code /eureka/apps/{app}/...}) is checked before its handler runs; a
 * handler that learns its services from the body ({@code POST /register}, {@code POST /report}) calls
 * {@link #require} before it changes anything, with every service of the request, so that a batch mixing
 * allowed and forbidden services is refused whole.
 *
 * <p>In open mode everything is allowed. In enforced mode the principal is the request's
 * {@link BeaconAuthentication}; a request without one (which the filter chain lets through only to the
 * health probes and API documents) is allowed nothing. Only call it on a request thread.
 */
public final class ServiceAccess {

    private final boolean enforced;

    ServiceAccess(boolean enforced) {
        this.enforced = enforced;
    }

    /** Allows everything: open mode, and tests of other packages that do not test access. */
    public static ServiceAccess open() {
        return new ServiceAccess(false);
    }

    /** Whether requests are checked at all ({@code beacon.security.mode=enforced}). */
    public boolean enforced() {
        return enforced;
    }

    /**
     * Returns if the current request may do {@code scope} on {@code service}.
     *
     * @throws AccessDeniedProblem (403) naming {@code <scope>:<service>} and the token id
     */
    public void require(Scope scope, ServiceName service) {
        AuditLog.noteService(service);
        if (!allows(scope, service)) {
            throw denied(scope, service);
        }
    }

    /**
     * Returns if the current request may do {@code scope} on every one of {@code services}; otherwise
     * refuses the whole request, naming the first service that is not allowed.
     *
     * @throws AccessDeniedProblem (403)
     */
    public void require(Scope scope, Collection<ServiceName> services) {
        for (ServiceName service : services) {
            require(scope, service);
        }
    }

    /**
     * {@link #require(Scope, ServiceName)} for the one instance a request's body names; the instance id goes
     * into the request's audit line.
     *
     * @throws AccessDeniedProblem (403)
     */
    public void require(Scope scope, InstanceKey instance) {
        AuditLog.noteInstances(List.of(instance));
        require(scope, instance.service());
    }

    /**
     * {@link #require(Scope, Collection)} for a batch of instances: each of their services must be allowed,
     * or the whole request is refused. The audit line lists the services and the first
     * {@value AuditLog#MAX_INSTANCES} instances ({@code service/id}).
     *
     * @throws AccessDeniedProblem (403)
     */
    public void requireAll(Scope scope, List<InstanceKey> instances) {
        AuditLog.noteInstances(instances);
        require(scope, instances.stream().map(InstanceKey::service).distinct().toList());
    }

    /** Whether the current request may do {@code scope} on {@code service} (no exception). */
    public boolean allows(Scope scope, ServiceName service) {
        if (!enforced) {
            return true;
        }
        BeaconPrincipal principal = current();
        return principal != null && principal.allows(scope, service);
    }

    /** The current request's principal, or null (open mode without a token, or no request). */
    public static BeaconPrincipal current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication instanceof BeaconAuthentication beacon ? beacon.getPrincipal() : null;
    }

    private static AccessDeniedProblem denied(Scope scope, ServiceName service) {
        BeaconPrincipal principal = current();
        String id = principal == null ? "(none)" : principal.id();
        return new AccessDeniedProblem(id, scope.perService() ? scope.label() + ":" + service.value() : scope.label(),
                Actions.describe(scope, service.value()));
    }
}
