package io.beacon.eureka;

import io.beacon.registration.RegistrationService;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.Registry;
import io.beacon.web.DirectRoute;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.springframework.stereotype.Component;

/**
 * {@code PUT /eureka/apps/{APP}/{id}}, a Eureka renewal, answered below MVC ({@link DirectRoute}) with the same
 * renewal as {@link EurekaWriteController#renew}: 200 with no body. An unknown instance, or one whose copy is
 * older than the client's {@code lastDirtyTimestamp}, is declined before anything changes, so the controller
 * renews and gives its 404 problem as before.
 */
@Component
class EurekaRenewRoute implements DirectRoute {

    private final Registry registry;
    private final RegistrationService registrations;

    EurekaRenewRoute(Registry registry, RegistrationService registrations) {
        this.registry = registry;
        this.registrations = registrations;
    }

    @Override
    public String method() {
        return "PUT";
    }

    @Override
    public String pattern() {
        return "/eureka/apps/{app}/{id}";
    }

    @Override
    public boolean answer(HttpServletRequest request, HttpServletResponse response, List<String> variables) {
        InstanceKey key = EurekaWriteController.key(variables.get(0), variables.get(1));
        Optional<Instance> current = registry.get(key);
        if (current.isEmpty() || EurekaWriteController.isNewer(request.getParameter("lastDirtyTimestamp"),
                current.get().attributes().get(EurekaMapper.LAST_DIRTY))) {
            return false;
        }
        registrations.renew(key, OptionalInt.empty());
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentLength(0);
        return true;
    }
}
