package io.beacon.registration;

import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.Registry;
import io.beacon.registry.ServiceName;
import io.beacon.web.DirectRoute;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code PUT /heartbeat/{name}/{id}} without a body, answered below MVC ({@link DirectRoute}) with the same
 * renewal and the same answer as {@link RegistrationController#heartbeat}; an invalid name or an unknown
 * instance throws what the controller throws, answered by the same exception handler.
 */
@Component
class HeartbeatRoute implements DirectRoute {

    private final Registry registry;
    private final RegistrationService registrations;
    private final JsonMapper json;

    HeartbeatRoute(Registry registry, RegistrationService registrations, JsonMapper json) {
        this.registry = registry;
        this.registrations = registrations;
        this.json = json;
    }

    @Override
    public String method() {
        return "PUT";
    }

    @Override
    public String pattern() {
        return "/heartbeat/{name}/{id}";
    }

    @Override
    public boolean answer(HttpServletRequest request, HttpServletResponse response, List<String> variables)
            throws IOException {
        InstanceKey key = new InstanceKey(ServiceName.of(variables.get(0)), variables.get(1));
        Instance renewed = registrations.renew(key, OptionalInt.empty());
        DirectRoute.writeJson(response, registry.index(key.service()),
                json.writeValueAsBytes(HeartbeatResponse.of(renewed)));
        return true;
    }
}
