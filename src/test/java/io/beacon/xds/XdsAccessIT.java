package io.beacon.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.beacon.support.Http;
import io.beacon.support.TestClockConfiguration;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * Enforced mode on the xDS port: raw ADS streams without a token, with a malformed, an unknown, a wrong-scope,
 * a read and an admin token (each refusal's status, description and {@code beacon_auth_denied_total} reason),
 * and a real proxyless gRPC client passing its token through the {@code beacon_token} channel credentials of
 * docs/xds.md.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1", "beacon.xds.enabled=true", "beacon.xds.port=0",
        "beacon.security.mode=enforced",
        "beacon.security.tokens.root.secret=" + XdsAccessIT.ADMIN,
        "beacon.security.tokens.root.scopes=admin",
        "beacon.security.tokens.reader.secret=" + XdsAccessIT.READ,
        "beacon.security.tokens.reader.scopes=read",
        "beacon.security.tokens.ci-echo.secret=" + XdsAccessIT.REGISTER,
        "beacon.security.tokens.ci-echo.scopes=register:echo"})
@Import(TestClockConfiguration.class)
class XdsAccessIT {

    static final String ADMIN = "xds-admin-token-0123456789";
    static final String READ = "xds-read-token-0123456789";
    static final String REGISTER = "xds-register-token-0123456789";

    @Autowired
    XdsServer xds;

    @Autowired
    MeterRegistry meters;

    @LocalServerPort
    int port;

    ManagedChannel channel;

    @BeforeEach
    void connect() {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", xds.port()).usePlaintext().build();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    double denied(String reason) {
        var counter = meters.find("beacon.auth.denied").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Opens a state-of-the-world stream with this authorization value (none when null), asks for listener {@code echo}. */
    CompletableFuture<DiscoveryResponse> ask(String authorization) {
        var stub = AggregatedDiscoveryServiceGrpc.newStub(channel);
        if (authorization != null) {
            Metadata headers = new Metadata();
            headers.put(XdsAccess.AUTHORIZATION, authorization);
            stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        }
        CompletableFuture<DiscoveryResponse> first = new CompletableFuture<>();
        StreamObserver<DiscoveryRequest> requests = stub.streamAggregatedResources(new StreamObserver<>() {
            @Override
            public void onNext(DiscoveryResponse value) {
                first.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                first.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                first.completeExceptionally(new AssertionError("stream completed without a response"));
            }
        });
        requests.onNext(DiscoveryRequest.newBuilder().setNode(Node.newBuilder().setId("access-test"))
                .setTypeUrl(ResourceType.LISTENER.typeUrl()).addResourceNames("echo").build());
        first.whenComplete((r, e) -> requests.onCompleted());
        return first;
    }

    Status refusal(String authorization) throws InterruptedException, TimeoutException {
        try {
            DiscoveryResponse response = ask(authorization).get(10, TimeUnit.SECONDS);
            throw new AssertionError("a refusal expected, got a response of " + response.getTypeUrl());
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(StatusRuntimeException.class);
            return ((StatusRuntimeException) e.getCause()).getStatus();
        }
    }

    @Test
    void aStreamWithoutATokenIsUnauthenticatedNamingTheScope() throws Exception {
        double before = denied("missing");
        Status status = refusal(null);
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(status.getDescription()).isEqualTo("This call needs a token with scope 'read': send gRPC metadata "
                + "'authorization: Bearer <token>'.");
        assertThat(denied("missing")).isEqualTo(before + 1);
    }

    @Test
    void anUnknownOrMalformedTokenIsUnauthenticated() throws Exception {
        double unknown = denied("unknown");
        Status status = refusal("Bearer not-a-token-beacon-knows");
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(status.getDescription()).contains("The token is not valid", "scope 'read'");
        assertThat(denied("unknown")).isEqualTo(unknown + 1);

        double malformed = denied("malformed");
        status = refusal("Token " + READ);
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(status.getDescription()).contains("malformed", "scope 'read'");
        assertThat(denied("malformed")).isEqualTo(malformed + 1);
    }

    @Test
    void aTokenWithoutReadIsPermissionDeniedNamingTheScope() throws Exception {
        double before = denied("scope");
        Status status = refusal("Bearer " + REGISTER);
        assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(status.getDescription()).isEqualTo("Token 'ci-echo' lacks scope 'read', which this call needs.");
        assertThat(denied("scope")).isEqualTo(before + 1);
    }

    @Test
    void aReadTokenOrAnAdminTokenIsServed() throws Exception {
        for (String token : new String[] {READ, ADMIN}) {
            DiscoveryResponse response = ask("Bearer " + token).get(10, TimeUnit.SECONDS);
            assertThat(response.getTypeUrl()).isEqualTo(ResourceType.LISTENER.typeUrl());
            assertThat(response.getResources(0).unpack(Listener.class).getName()).isEqualTo("echo");
        }
    }

    @Test
    void aProxylessClientPassesItsTokenThroughTheBeaconTokenChannelCredentials(@TempDir Path dir) throws Exception {
        try (EchoServers servers = new EchoServers()) {
            int echo = servers.start("a");
            Http http = new Http(port);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(http.base() + "/register"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + REGISTER)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"echo\",\"id\":\"echo-a\","
                            + "\"address\":\"127.0.0.1\",\"port\":" + echo + "}"))).statusCode()).isEqualTo(201);
            Path token = Files.writeString(dir.resolve("token"), READ + "\n");
            ManagedChannel client = EchoServers.xdsChannel("echo", xds.port(), "access-client",
                    Map.of("type", "beacon_token", "config", Map.of("token_file", token.toString())));
            try {
                String answer = await().atMost(XdsGrpcClientIT.FIRST_RESOLUTION)
                        .ignoreException(StatusRuntimeException.class).until(() -> EchoServers.who(client), "a"::equals);
                assertThat(answer).isEqualTo("a");
            } finally {
                client.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }
}
