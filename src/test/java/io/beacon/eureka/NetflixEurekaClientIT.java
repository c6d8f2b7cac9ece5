package io.beacon.eureka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.netflix.appinfo.ApplicationInfoManager;
import com.netflix.appinfo.InstanceInfo;
import com.netflix.appinfo.MyDataCenterInstanceConfig;
import com.netflix.appinfo.providers.EurekaConfigBasedInstanceInfoProvider;
import com.netflix.discovery.DefaultEurekaClientConfig;
import com.netflix.discovery.DiscoveryClient;
import com.netflix.discovery.shared.Application;
import com.netflix.discovery.shared.transport.jersey3.Jersey3TransportClientFactories;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceKey;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.Registry;
import io.beacon.support.Http;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The real Netflix Eureka client (com.netflix.eureka:eureka-client 2.0.6, Jersey 3 transport) against
 * Beacon on a random port: register, status change, heartbeats, full fetch then deltas only (the
 * reconcile hash code matches, so it never falls back to a full fetch), another instance appearing and
 * disappearing, and cancel on shutdown.
 * (A loaded machine may make the client repeat a full fetch after its own 1 s task timeout, so the
 * reconciliation is checked through the client's own log, not by counting full fetches.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@ExtendWith(OutputCaptureExtension.class)
class NetflixEurekaClientIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @LocalServerPort
    int port;
    @Autowired
    Registry registry;
    @Autowired
    MeterRegistry meters;

    DiscoveryClient client;
    final LoggingSystem logging = LoggingSystem.get(NetflixEurekaClientIT.class.getClassLoader());

    @AfterEach
    void cleanUp() {
        if (client != null) {
            client.shutdown();
        }
        logging.setLogLevel(DiscoveryClient.class.getName(), null);
        registry.instances().toList().forEach(i -> registry.deregister(i.key()));
    }

    @Test
    void realEurekaClientRegistersRenewsFetchesDeltasAndCancels(CapturedOutput output) {
        // the client reports at DEBUG whether each delta reconciled with the server's apps__hashcode
        logging.setLogLevel(DiscoveryClient.class.getName(), LogLevel.DEBUG);
        InstanceConfig config = new InstanceConfig();
        ApplicationInfoManager manager = new ApplicationInfoManager(config,
                new EurekaConfigBasedInstanceInfoProvider(config).get());
        client = new DiscoveryClient(manager, new ClientConfig("http://127.0.0.1:" + port + "/eureka/"),
                new Jersey3TransportClientFactories());
        manager.setInstanceStatus(InstanceInfo.InstanceStatus.UP);

        InstanceKey self = InstanceKey.of("orders", "orders-1");
        await().atMost(WAIT).until(() -> registry.get(self).map(i -> i.status() == InstanceStatus.UP).orElse(false));
        Instance registered = registry.get(self).orElseThrow();
        assertThat(registered.address()).isEqualTo("127.0.0.1");
        assertThat(registered.port()).isEqualTo(18080);
        assertThat(registered.metadata()).containsEntry("zone", "eu-1");
        assertThat(registered.zone()).isEqualTo("eu-1");
        assertThat(registered.attributes()).containsEntry("eureka.hostName", "localhost");
        assertThat(registered.lease().duration()).isEqualTo(Duration.ofSeconds(30));

        await().atMost(WAIT).until(() -> registry.get(self).map(i -> i.lease().lastRenewedAt()
                .isAfter(i.lease().registeredAt().plusMillis(1500))).orElse(false));

        await().atMost(WAIT).until(() -> instances(client.getApplication("ORDERS")).stream()
                .anyMatch(i -> i.getId().equals("orders-1") && i.getStatus() == InstanceInfo.InstanceStatus.UP));
        Http http = new Http(port);
        assertThat(http.post("/register", """
                {"name":"billing","id":"billing-1","address":"10.1.2.3","port":9000,"metadata":{"team":"pay"}}""")
                .statusCode()).isEqualTo(201);
        await().atMost(WAIT).until(() -> instances(client.getApplication("BILLING")).stream()
                .anyMatch(i -> i.getId().equals("billing-1") && i.getPort() == 9000
                        && "pay".equals(i.getMetadata().get("team")) && "10.1.2.3".equals(i.getIPAddr())));

        assertThat(http.delete("/deregister/billing/billing-1").statusCode()).isEqualTo(204);
        await().atMost(WAIT).until(() -> instances(client.getApplication("BILLING")).isEmpty());

        assertThat(requests("/eureka/apps/delta")).isPositive();
        assertThat(output.getOut()).contains("Got delta update with apps hashcode UP_2_")
                .doesNotContain("The Reconcile hashcodes do not match");

        client.shutdown();
        client = null;
        await().atMost(WAIT).until(() -> registry.get(self).isEmpty());
    }

    private long requests(String uri) {
        return meters.find("http.server.requests").tag("method", "GET").tag("uri", uri).timers().stream().mapToLong(Timer::count).sum();
    }

    private static List<InstanceInfo> instances(Application app) {
        return Optional.ofNullable(app).map(Application::getInstances).orElse(List.of());
    }

    /** The instance as an application would configure it, with a 1 s renewal interval. */
    static final class InstanceConfig extends MyDataCenterInstanceConfig {
        @Override
        public String getAppname() {
            return "orders";
        }

        @Override
        public String getInstanceId() {
            return "orders-1";
        }

        @Override
        public String getIpAddress() {
            return "127.0.0.1";
        }

        @Override
        public String getHostName(boolean refresh) {
            return "localhost";
        }

        @Override
        public int getNonSecurePort() {
            return 18080;
        }

        @Override
        public int getLeaseRenewalIntervalInSeconds() {
            return 1;
        }

        @Override
        public int getLeaseExpirationDurationInSeconds() {
            return 30;
        }

        @Override
        public String getVirtualHostName() {
            return "orders";
        }

        @Override
        public String getSecureVirtualHostName() {
            return "orders";
        }

        @Override
        public Map<String, String> getMetadataMap() {
            return new HashMap<>(Map.of("zone", "eu-1"));
        }
    }

    /** Client settings pointing at Beacon, fetching every second. */
    static final class ClientConfig extends DefaultEurekaClientConfig {
        private final String url;

        ClientConfig(String url) {
            this.url = url;
        }

        @Override
        public List<String> getEurekaServerServiceUrls(String zone) {
            return List.of(url);
        }

        @Override
        public int getRegistryFetchIntervalSeconds() {
            return 1;
        }

        @Override
        public int getInstanceInfoReplicationIntervalSeconds() {
            return 1;
        }

        @Override
        public int getInitialInstanceInfoReplicationIntervalSeconds() {
            return 0;
        }

        @Override
        public boolean shouldEnforceRegistrationAtInit() {
            return true;
        }
    }
}
