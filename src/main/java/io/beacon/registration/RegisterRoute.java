package io.beacon.registration;

import io.beacon.registry.Instance;
import io.beacon.registry.Registry;
import io.beacon.web.DirectRoute;
import io.beacon.web.InstanceView;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /register} with a JSON body, answered below MVC ({@link DirectRoute}): the body is read with the
 * application's strict JSON mapper (the one MVC's converter uses), then registered and answered as
 * {@link RegistrationController#register} does. A body that does not read as a registration is declined, so
 * MVC reads it again and gives its exact problem; what the registration throws (invalid fields, a capacity
 * limit, a missing scope) is answered by the same exception handler as the controller's.
 */
@Component
class RegisterRoute implements DirectRoute {

    private final RegistrationController registrations;
    private final JsonMapper json;

    RegisterRoute(RegistrationController registrations, JsonMapper json) {
        this.registrations = registrations;
        this.json = json;
    }

    @Override
    public String method() {
        return "POST";
    }

    @Override
    public String pattern() {
        return "/register";
    }

    @Override
    public boolean readsBody() {
        return true;
    }

    @Override
    public boolean answer(HttpServletRequest request, HttpServletResponse response, List<String> variables)
            throws IOException {
        RegistrationRequest body;
        try {
            body = json.readValue(request.getInputStream(), RegistrationRequest.class);
        } catch (JacksonException e) {
            return false;
        }
        if (body == null) {
            return false;
        }
        Registry.Registration result = registrations.registerAllowed(body);
        Instance i = result.instance();
        if (result.created()) {
            response.setHeader("Location", RegistrationController.location(i).toString());
        }
        DirectRoute.writeJson(response, result.created() ? HttpServletResponse.SC_CREATED : HttpServletResponse.SC_OK,
                result.index(), json.writeValueAsBytes(InstanceView.of(i)));
        return true;
    }
}
