package io.beacon.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The API description springdoc serves at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}).
 * Endpoints, parameters and problem responses come from the controllers' annotations; this bean adds the
 * document's title, version and description. The version is the build's ({@code META-INF/build-info.properties}),
 * or the jar manifest's when no build info exists, or {@code development} when running from classes.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String TITLE = "Beacon API";

    static final String DESCRIPTION = """
            Beacon is a service registry. Instances register with `POST /register`, keep their lease alive \
            with `PUT /heartbeat/{name}/{id}` and leave with `DELETE /deregister/{name}/{id}`; clients find \
            healthy instances with `GET /discover?name=...`. Every change bumps a per-service index, returned \
            in the `X-Beacon-Index` header. Errors are `application/problem+json` (RFC 9457) with an \
            `errors` list naming each invalid field.""";

    @Bean
    OpenAPI beaconOpenApi(ObjectProvider<BuildProperties> build) {
        return new OpenAPI().info(new Info()
                .title(TITLE)
                .version(version(build.getIfAvailable()))
                .description(DESCRIPTION));
    }

    static String version(BuildProperties build) {
        if (build != null && build.getVersion() != null) {
            return build.getVersion();
        }
        String manifest = OpenApiConfiguration.class.getPackage().getImplementationVersion();
        return manifest != null ? manifest : "development";
    }
}
