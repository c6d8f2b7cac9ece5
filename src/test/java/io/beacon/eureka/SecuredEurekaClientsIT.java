package io.beacon.eureka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.netflix.appinfo.ApplicationInfoManager;
import com.netflix.appinfo.InstanceInfo;
import com.netflix.appinfo.providers.EurekaConfigBasedInstanceInfoProvider;
import com.netflix.discovery.DiscoveryClient;
import com.netflix.discovery.shared.Application;
import com.netflix.discovery.shared.transport.jersey3.Jersey3TransportClientFactories;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Registry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Enforced mode with the real clients: the Netflix Eureka client (Jersey 3) and a Spring Cloud application
 * register, renew, fetch and cancel with the token as the password of their service URL,
 * {@code http://beacon:<token>@host/eureka/}, each token scoped to its own service plus {@code read}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "server.address=127.0.0.1", "beacon.security.mode=enforced",
    "beacon.security.tokens.root.secret=admin-secret-0123456789", "beacon.security.tokens.root.scopes=admin",
    "beacon.security.tokens.orders-app.secret=" + SecuredEurekaClientsIT.ORDERS,
    "beacon.security.tokens.orders-app.scopes=read,register:orders",
    "beacon.security.tokens.inventory-app.secret=" + SecuredEurekaClientsIT.INVENTORY,
    "beacon.security.tokens.inventory-app.scopes=read,register:inventory"})
class SecuredEurekaClientsIT {

    static final String ORDERS = "orders-eureka-token-0123456789";
    static final String INVENTORY = "inventory-eureka-token-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @LocalServerPort
    int port;
    @Autowired
    Registry registry;

    DiscoveryClient netflix;
    ConfigurableApplicationContext springCloud;

    @AfterEach
    void cleanUp() {
        if (netflix != null) {
            netflix.shutdown();
        }
        if (springCloud != null) {
            springCloud.close();
        }
        registry.instances().toList().forEach(i -> registry.deregister(i.key()));
    }

    @Test
    void netflixClientRegistersRenewsFetchesAndCancelsWithItsToken() {
        NetflixEurekaClientIT.InstanceConfig config = new NetflixEurekaClientIT.InstanceConfig();
        ApplicationInfoManager manager = new ApplicationInfoManager(config,
                new EurekaConfigBasedInstanceInfoProvider(config).get());
        netflix = new DiscoveryClient(manager, new NetflixEurekaClientIT.ClientConfig(
                "http://beacon:" + ORDERS + "@127.0.0.1:" + port + "/eureka/"), new Jersey3TransportClientFactories());
        manager.setInstanceStatus(InstanceInfo.InstanceStatus.UP);

        InstanceKey self = InstanceKey.of("orders", "orders-1");
        await().atMost(WAIT).until(() -> registry.get(self).map(i -> i.status() == InstanceStatus.UP).orElse(false));
        await().atMost(WAIT).until(() -> registry.get(self).map(i -> i.lease().lastRenewedAt()
                .isAfter(i.lease().registeredAt().plusMillis(1500))).orElse(false));
        await().atMost(WAIT).until(() -> instances(netflix.getApplication("ORDERS")).stream()
                .anyMatch(i -> i.getId().equals("orders-1")));

        netflix.shutdown();
        netflix = null;
        await().atMost(WAIT).until(() -> registry.get(self).isEmpty());
    }

    @Test
    void springCloudClientRegistersRenewsAndDeregistersWithItsToken() {
        springCloud = startSpringCloud("http://beacon:" + INVENTORY + "@127.0.0.1:" + port + "/eureka/");
        InstanceKey self = InstanceKey.of("inventory", "inventory-1");
        await().atMost(WAIT).until(() -> registry.get(self).map(i -> i.status() == InstanceStatus.UP).orElse(false));
        await().atMost(WAIT).until(() -> registry.get(self).map(i -> i.lease().lastRenewedAt()
                .isAfter(i.lease().registeredAt().plusMillis(1500))).orElse(false));
        org.springframework.cloud.client.discovery.DiscoveryClient discovery =
                springCloud.getBean(org.springframework.cloud.client.discovery.DiscoveryClient.class);
        await().atMost(WAIT).until(() -> discovery.getInstances("inventory").size() == 1);

        springCloud.close();
        springCloud = null;
        await().atMost(WAIT).until(() -> registry.get(self).isEmpty());
    }

    private static List<InstanceInfo> instances(Application app) {
        return Optional.ofNullable(app).map(Application::getInstances).orElse(List.of());
    }

    private static ConfigurableApplicationContext startSpringCloud(String serviceUrl) {
        SpringApplicationBuilder builder = new SpringApplicationBuilder(
                SpringCloudEurekaClientIT.InventoryApplication.class)
                .web(WebApplicationType.SERVLET)
                .registerShutdownHook(false);
        SpringApplication application = builder.application();
        application.setListeners(application.getListeners().stream()
                .filter(l -> !(l instanceof LoggingApplicationListener)).toList());
        return builder.run("--spring.config.name=spring-cloud-eureka-client",
                "--spring.application.name=inventory",
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--springdoc.api-docs.enabled=false",
                "--eureka.client.jersey.enabled=false",
                "--eureka.client.service-url.defaultZone=" + serviceUrl,
                "--eureka.client.registry-fetch-interval-seconds=1",
                "--eureka.client.initial-instance-info-replication-interval-seconds=1",
                "--eureka.client.instance-info-replication-interval-seconds=1",
                "--eureka.instance.lease-renewal-interval-in-seconds=1",
                "--eureka.instance.lease-expiration-duration-in-seconds=30",
                "--eureka.instance.instance-id=inventory-1",
                "--eureka.instance.prefer-ip-address=true",
                "--eureka.instance.ip-address=127.0.0.1");
    }
}
