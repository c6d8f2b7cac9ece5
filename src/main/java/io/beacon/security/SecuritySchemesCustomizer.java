package io.beacon.security;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * The OpenAPI document's security schemes: {@code bearer} (a Beacon token) and {@code basic} (HTTP Basic
 * with the token as password, for Eureka clients); either is accepted on every operation. In open mode the
 * schemes are documented too, as what enforced mode asks for.
 */
@Component
class SecuritySchemesCustomizer implements OpenApiCustomizer {

    @Override
    public void customise(OpenAPI api) {
        if (api.getComponents() == null) {
            api.setComponents(new Components());
        }
        api.getComponents()
                .addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("A Beacon token: Authorization: Bearer <token>. Scopes: read, "
                                + "register:<service-pattern>, operate:<service-pattern>, admin (docs/security.md)."))
                .addSecuritySchemes("basic", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                        .description("HTTP Basic with any user name and the token as password, as Eureka clients "
                                + "send it: http://beacon:<token>@host/eureka/"));
        api.addSecurityItem(new SecurityRequirement().addList("bearer"));
        api.addSecurityItem(new SecurityRequirement().addList("basic"));
    }
}
