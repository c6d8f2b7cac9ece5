package io.beacon.eureka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Registry;
import io.beacon.support.Http;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A Spring Cloud application with {@code spring-cloud-starter-netflix-eureka-client} (Spring Cloud 2025.1.2),
 * configured only through properties, against Beacon on a random port: it registers under its
 * {@code spring.application.name}, renews its lease, is found through Beacon's native {@code /discover}
 * (lower-case name, its real port, its metadata), sees a natively registered instance through Spring Cloud's
 * {@link DiscoveryClient} (and sees it go), and deregisters when its context closes.
 *
 * <p>The client runs in its own application context in this JVM, with {@code spring.config.name} pointing away
 * from {@code application.*}, so neither Beacon's configuration nor the test class path's
 * {@code application.properties} (which turns the Eureka client off for every other context) reaches it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
class SpringCloudEurekaClientIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final InstanceKey SELF = InstanceKey.of("inventory", "inventory-1");

    @LocalServerPort
    int port;
    @Autowired
    Registry registry;
    @Autowired
    MeterRegistry meters;

    ConfigurableApplicationContext client;

    @AfterEach
    void cleanUp() {
        if (client != null) {
            client.close();
        }
        registry.instances().toList().forEach(i -> registry.deregister(i.key()));
    }

    @Test
    void springCloudAppRegistersRenewsDiscoversAndDeregistersOnClose() {
        double heartbeatsBefore = heartbeats();
        client = startClient(port);
        int clientPort = ((WebServerApplicationContext) client).getWebServer().getPort();
        assertThat(clientPort).isPositive();

        // registered with the port its web server actually got, its metadata and Beacon's lower-case name
        await().atMost(WAIT).until(() -> registry.get(SELF).map(i -> i.status() == InstanceStatus.UP
                && i.port() == clientPort).orElse(false));
        Instance registered = registry.get(SELF).orElseThrow();
        assertThat(registered.address()).isEqualTo("127.0.0.1");
        assertThat(registered.metadata()).containsEntry("team", "stock").containsEntry("zone", "eu-1")
                .containsEntry("version", "2.1.0");
        assertThat(registered.zone()).isEqualTo("eu-1");
        assertThat(registered.version()).isEqualTo("2.1.0");
        assertThat(registered.lease().duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(registered.attributes()).containsEntry("eureka.vipAddress", "inventory");

        // heartbeats: PUT /eureka/apps/INVENTORY/inventory-1 every second renews the Beacon lease
        await().atMost(WAIT).until(() -> registry.get(SELF).map(i -> i.lease().lastRenewedAt()
                .isAfter(i.lease().registeredAt().plusMillis(1500))).orElse(false));
        assertThat(heartbeats() - heartbeatsBefore).isGreaterThanOrEqualTo(1);

        Http http = new Http(port);
        JsonNode discovered = Http.json(http.get("/discover?name=inventory"));
        assertThat(discovered.get("name").asString()).isEqualTo("inventory");
        assertThat(discovered.get("count").asInt()).isEqualTo(1);
        JsonNode self = discovered.get("services").get(0);
        assertThat(self.get("id").asString()).isEqualTo("inventory-1");
        assertThat(self.get("name").asString()).isEqualTo("inventory");
        assertThat(self.get("address").asString()).isEqualTo("127.0.0.1");
        assertThat(self.get("port").asInt()).isEqualTo(clientPort);
        assertThat(self.get("status").asString()).isEqualTo("UP");
        assertThat(self.get("zone").asString()).isEqualTo("eu-1");
        assertThat(self.get("version").asString()).isEqualTo("2.1.0");
        assertThat(self.get("metadata").get("team").asString()).isEqualTo("stock");
        assertThat(Http.json(http.get("/discover?name=inventory&meta.team=stock")).get("count").asInt()).isEqualTo(1);

        // Spring Cloud's DiscoveryClient sees itself and an instance registered natively in Beacon
        DiscoveryClient discovery = client.getBean(DiscoveryClient.class);
        await().atMost(WAIT).until(() -> discovery.getInstances("inventory").stream()
                .anyMatch(i -> "inventory-1".equals(i.getInstanceId()) && i.getPort() == clientPort));
        assertThat(http.post("/register", """
                {"name":"billing","id":"billing-1","address":"10.1.2.3","port":9000,
                 "metadata":{"team":"pay"},"zone":"eu-2","version":"1.4.0"}""").statusCode()).isEqualTo(201);
        await().atMost(WAIT).until(() -> !discovery.getInstances("billing").isEmpty());
        List<ServiceInstance> billing = discovery.getInstances("billing");
        assertThat(billing).hasSize(1);
        ServiceInstance native1 = billing.get(0);
        assertThat(native1.getInstanceId()).isEqualTo("billing-1");
        assertThat(native1.getServiceId()).isEqualToIgnoringCase("billing");
        assertThat(native1.getHost()).isEqualTo("10.1.2.3");
        assertThat(native1.getPort()).isEqualTo(9000);
        assertThat(native1.isSecure()).isFalse();
        assertThat(native1.getUri().toString()).isEqualTo("http://10.1.2.3:9000");
        assertThat(native1.getMetadata()).containsEntry("team", "pay").containsEntry("zone", "eu-2")
                .containsEntry("version", "1.4.0");
        assertThat(discovery.getServices()).contains("billing", "inventory");

        // taken out of service in Beacon: Eureka clients keep only UP instances, so it leaves the client's view
        assertThat(http.put("/eureka/apps/BILLING/billing-1/status?value=OUT_OF_SERVICE", null).statusCode())
                .isEqualTo(200);
        await().atMost(WAIT).until(() -> discovery.getInstances("billing").isEmpty());
        assertThat(http.delete("/eureka/apps/BILLING/billing-1/status").statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> discovery.getInstances("billing").size() == 1);
        assertThat(http.delete("/deregister/billing/billing-1").statusCode()).isEqualTo(204);
        await().atMost(WAIT).until(() -> discovery.getInstances("billing").isEmpty());

        // closing the application context cancels the registration
        client.close();
        client = null;
        await().atMost(WAIT).until(() -> registry.get(SELF).isEmpty());
        assertThat(Http.json(http.get("/discover?name=inventory")).get("count").asInt()).isZero();
    }

    private double heartbeats() {
        Counter ok = meters.find("beacon.heartbeats").tag("result", "ok").counter();
        return ok == null ? 0 : ok.count();
    }

    /**
     * Starts the Spring Cloud application: a servlet app on a random port whose Eureka client points at Beacon,
     * with one-second renewal and fetch intervals. Command-line arguments, so nothing on the class path
     * overrides them.
     */
    static ConfigurableApplicationContext startClient(int beaconPort) {
        SpringApplicationBuilder builder = new SpringApplicationBuilder(InventoryApplication.class)
                .web(WebApplicationType.SERVLET)
                .registerShutdownHook(false);
        // the JVM's logging belongs to the test run: the client must not re-initialise (or clean up) it
        SpringApplication application = builder.application();
        application.setListeners(application.getListeners().stream()
                .filter(l -> !(l instanceof LoggingApplicationListener)).toList());
        return builder.run("--spring.config.name=spring-cloud-eureka-client",
                "--spring.application.name=inventory",
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--springdoc.api-docs.enabled=false",
                // Jersey is on this class path only for NetflixEurekaClientIT; an application with just
                // the starter has no Jersey and uses Spring Cloud's default RestClient transport, as here
                "--eureka.client.jersey.enabled=false",
                "--eureka.client.service-url.defaultZone=http://127.0.0.1:" + beaconPort + "/eureka/",
                "--eureka.client.registry-fetch-interval-seconds=1",
                "--eureka.client.initial-instance-info-replication-interval-seconds=1",
                "--eureka.client.instance-info-replication-interval-seconds=1",
                "--eureka.instance.lease-renewal-interval-in-seconds=1",
                "--eureka.instance.lease-expiration-duration-in-seconds=30",
                "--eureka.instance.instance-id=inventory-1",
                "--eureka.instance.prefer-ip-address=true",
                "--eureka.instance.ip-address=127.0.0.1",
                "--eureka.instance.metadata-map.team=stock",
                "--eureka.instance.metadata-map.zone=eu-1",
                "--eureka.instance.metadata-map.version=2.1.0");
    }

    /**
     * The client application: auto-configuration only, as a Spring Boot app with the Eureka starter gets it.
     * Deliberately not a {@code @Configuration}: a nested one would replace Beacon as this test's own context.
     */
    @EnableAutoConfiguration
    static class InventoryApplication {
    }
}
