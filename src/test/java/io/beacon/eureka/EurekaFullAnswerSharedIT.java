package io.beacon.eureka;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.Registry;
import io.beacon.support.Http;
import io.beacon.support.TestClockConfiguration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * Concurrent full-registry and per-application fetches over real HTTP right after a change share one build
 * and one body.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "beacon.sweep.interval=1h"})
@Import(TestClockConfiguration.class)
class EurekaFullAnswerSharedIT {

    private static final int READERS = 32;

    @LocalServerPort
    int port;
    @Autowired
    Registry registry;
    @Autowired
    EurekaApps apps;

    @AfterEach
    void cleanUp() {
        registry.instances().toList().forEach(i -> registry.deregister(i.key()));
    }

    @Test
    void thirtyTwoConcurrentFetchesAfterAChangeBuildOnceAndAnswerTheSameBytes() throws Exception {
        Http http = new Http(port);
        for (int i = 1; i <= 50; i++) {
            String body = EurekaWireIT.ORDERS.replace("10.0.0.5:orders:8080", "10.0.0.5:orders:" + (8000 + i));
            assertThat(http.post("/eureka/apps/ORDERS", body).statusCode()).isEqualTo(204);
        }
        long before = apps.builds();

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(http.base() + "/eureka/apps"))
                .header("Accept", "application/json").timeout(Duration.ofSeconds(30)).GET().build();
        List<HttpResponse<byte[]>> answers = concurrently(client, request);

        byte[] first = answers.get(0).body();
        assertThat(new String(first)).contains("\"apps__hashcode\":\"UP_50_\"").contains("10.0.0.5:orders:8050");
        for (HttpResponse<byte[]> answer : answers) {
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo(first);
        }
        // one build of the registry and one of its JSON encoding, for all thirty-two readers
        assertThat(apps.builds() - before).isEqualTo(2);

        // the next change is visible to the next fetch, built once more
        registry.deregister(registry.instances().findFirst().orElseThrow().key());
        HttpResponse<byte[]> after = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(new String(after.body())).contains("\"apps__hashcode\":\"UP_49_\"");
        assertThat(apps.builds() - before).isEqualTo(4);
    }

    @Test
    void thirtyTwoConcurrentApplicationFetchesAfterAChangeBuildOnceAndSeeTheNextChange() throws Exception {
        Http http = new Http(port);
        for (int i = 1; i <= 20; i++) {
            String body = EurekaWireIT.ORDERS.replace("10.0.0.5:orders:8080", "10.0.0.5:orders:" + (8000 + i));
            assertThat(http.post("/eureka/apps/ORDERS", body).statusCode()).isEqualTo(204);
        }
        long before = apps.applicationBuilds();

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(http.base() + "/eureka/apps/orders"))
                .header("Accept", "application/json").timeout(Duration.ofSeconds(30)).GET().build();
        List<HttpResponse<byte[]>> answers = concurrently(client, request);

        byte[] first = answers.get(0).body();
        assertThat(new String(first)).contains("\"name\":\"ORDERS\"").contains("10.0.0.5:orders:8020");
        for (HttpResponse<byte[]> answer : answers) {
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(answer.body()).isEqualTo(first);
        }
        // one build of the index by application and one of ORDERS' JSON encoding, for all thirty-two readers
        assertThat(apps.applicationBuilds() - before).isEqualTo(2);

        // XML is an encoding of its own, built once and then reused
        HttpRequest xml = HttpRequest.newBuilder(URI.create(http.base() + "/eureka/apps/ORDERS"))
                .header("Accept", "application/xml").GET().build();
        String xmlBody = client.send(xml, HttpResponse.BodyHandlers.ofString()).body();
        assertThat(xmlBody).contains("<application>").contains("10.0.0.5:orders:8020");
        assertThat(client.send(xml, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo(xmlBody);
        assertThat(apps.applicationBuilds() - before).isEqualTo(3);

        // the next change is visible to the next fetch
        registry.deregister(registry.instances().filter(i -> i.key().toString().contains("8020")).findFirst()
                .orElseThrow().key());
        String after = client.send(request, HttpResponse.BodyHandlers.ofString()).body();
        assertThat(after).contains("10.0.0.5:orders:8019").doesNotContain("10.0.0.5:orders:8020");
        assertThat(apps.applicationBuilds() - before).isEqualTo(5);

        // and the last deregistration leaves the application unknown
        registry.instances().toList().forEach(i -> registry.deregister(i.key()));
        HttpResponse<String> gone = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).contains("No instance of application orders is registered.");
    }

    private static List<HttpResponse<byte[]>> concurrently(HttpClient client, HttpRequest request) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<byte[]>>> answers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(READERS);
        try {
            for (int i = 0; i < READERS; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        assertThat(start.await(10, TimeUnit.SECONDS)).isTrue();
                        return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            start.countDown();
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        return answers.stream().map(CompletableFuture::join).toList();
    }
}
