package io.beacon.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.support.Http;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import tools.jackson.databind.JsonNode;

/**
 * Builds the image from the repository's Dockerfile (with its .dockerignore), starts it and uses Beacon over
 * HTTP: register, then discover. Skipped where no Docker engine is reachable.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerImageIT {

    static final String ADMIN = "container-admin-token-0123456789";

    @Container
    static final GenericContainer<?> BEACON = new GenericContainer<>(
            new ImageFromDockerfile("beacon-container-test", true).withDockerfile(Path.of("Dockerfile")))
            .withExposedPorts(8080)
            // the image enforces access control and needs an admin token to start
            .withEnv("BEACON_SECURITY_TOKENS_ADMIN_SECRET", ADMIN)
            .withEnv("BEACON_SECURITY_TOKENS_ADMIN_SCOPES", "admin")
            .waitingFor(Wait.forHttp("/actuator/health/readiness").forStatusCode(200))
            .withStartupTimeout(Duration.ofMinutes(2));

    @Test
    void registersAndDiscoversInsideTheImage() {
        // The engine may run elsewhere (DOCKER_HOST): address the container by its host, not 127.0.0.1.
        String base = "http://" + BEACON.getHost() + ":" + BEACON.getMappedPort(8080);
        Http http = new Http(BEACON.getMappedPort(8080));
        HttpResponse<String> registered = http.send(HttpRequest.newBuilder(URI.create(base + "/register"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + ADMIN).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"orders\",\"address\":\"10.0.0.5\",\"port\":8080,\"version\":\"1.4.2\"}")));
        assertThat(registered.statusCode()).isEqualTo(201);

        HttpResponse<String> discovered = http.send(HttpRequest.newBuilder(URI.create(base + "/discover?name=orders"))
                .header("Authorization", "Bearer " + ADMIN));
        assertThat(discovered.statusCode()).isEqualTo(200);
        JsonNode body = Http.json(discovered);
        assertThat(body.get("count").asInt()).isEqualTo(1);
        assertThat(body.at("/services/0/id").asString()).isEqualTo("10.0.0.5:8080");
        assertThat(body.at("/services/0/status").asString()).isEqualTo("UP");
    }

    @Test
    void runsAsNonRootUser() throws Exception {
        var id = BEACON.execInContainer("id", "-u");
        assertThat(id.getStdout().trim()).isEqualTo("10001");
    }
}
