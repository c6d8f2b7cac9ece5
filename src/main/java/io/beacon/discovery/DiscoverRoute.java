package io.beacon.discovery;

import io.beacon.registry.ServiceName;
import io.beacon.web.DirectRoute;
import io.beacon.web.InvalidRequestException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * {@code GET /discover?name=X}, the plain query with nothing but a name, answered below MVC
 * ({@link DirectRoute}) from the same cached bytes as {@link DiscoveryController#discover}. A query string
 * with anything else (filters, a blocking index, percent-encoding, a repeated name) or a name the query rules
 * refuse is declined, so the controller answers it.
 */
@Component
class DiscoverRoute implements DirectRoute {

    private static final String PREFIX = "name=";

    private final DiscoveryController discovery;

    DiscoverRoute(DiscoveryController discovery) {
        this.discovery = discovery;
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String pattern() {
        return "/discover";
    }

    @Override
    public boolean answer(HttpServletRequest request, HttpServletResponse response, List<String> variables)
            throws IOException {
        String query = request.getQueryString();
        if (query == null || !query.startsWith(PREFIX) || query.length() == PREFIX.length()) {
            return false;
        }
        String name = query.substring(PREFIX.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '&' || c == '%' || c == '+' || c == '=' || c == ';' || c == '#') {
                return false;
            }
        }
        MultiValueMap<String, String> params = new LinkedMultiValueMap<>(1);
        params.add("name", name);
        DiscoveryQuery parsed;
        try {
            parsed = DiscoveryQuery.parse(params, Set.of());
        } catch (InvalidRequestException | ServiceName.InvalidNameException e) {
            return false;
        }
        DiscoveryCache.Answer answer = discovery.plainAnswer(parsed);
        if (answer.panic()) {
            response.setHeader(DiscoveryController.PANIC_HEADER, "true");
        }
        DirectRoute.writeJson(response, answer.index(), answer.body());
        return true;
    }
}
