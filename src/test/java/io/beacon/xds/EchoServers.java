package io.beacon.xds;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.xds.XdsNameResolverProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Small real gRPC servers for the xDS client tests: each answers the unary method {@code beacon.test.Echo/Who}
 * with its own name (bytes in, bytes out: no generated code). Also builds the proxyless gRPC client channels
 * ({@code xds:///NAME}, with a bootstrap naming Beacon's xDS port).
 */
final class EchoServers implements AutoCloseable {

    static final MethodDescriptor<byte[], byte[]> WHO = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("beacon.test.Echo/Who")
            .setRequestMarshaller(Bytes.INSTANCE).setResponseMarshaller(Bytes.INSTANCE).build();

    static final Metadata.Key<String> VERSION = Metadata.Key.of("version", Metadata.ASCII_STRING_MARSHALLER);

    private final List<Server> servers = new ArrayList<>();

    /** Starts a server named {@code name} on a free loopback port; returns the port. */
    int start(String name) {
        byte[] answer = name.getBytes(StandardCharsets.UTF_8);
        ServerServiceDefinition echo = ServerServiceDefinition.builder("beacon.test.Echo")
                .addMethod(WHO, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(answer);
                    response.onCompleted();
                })).build();
        try {
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(echo)
                    .build().start();
            servers.add(server);
            return server.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A proxyless gRPC channel to {@code xds:///target}, its own xDS client bootstrapped at Beacon's port. */
    static ManagedChannel xdsChannel(String target, int xdsPort, String nodeId) {
        return xdsChannel(target, xdsPort, nodeId, Map.of("type", "insecure"));
    }

    /** The same, with these bootstrap {@code channel_creds} for the connection to Beacon. */
    static ManagedChannel xdsChannel(String target, int xdsPort, String nodeId, Map<String, ?> channelCreds) {
        Map<String, ?> bootstrap = Map.of(
                "xds_servers", List.of(Map.of("server_uri", "127.0.0.1:" + xdsPort,
                        "channel_creds", List.of(channelCreds),
                        "server_features", List.of("xds_v3"))),
                "node", Map.of("id", nodeId));
        @SuppressWarnings("deprecation")
        ManagedChannel channel = ManagedChannelBuilder.forTarget("xds:///" + target)
                .nameResolverFactory(XdsNameResolverProvider.createForTest("xds", bootstrap)).usePlaintext().build();
        return channel;
    }

    /** Calls {@code Who} and returns the name of the server that answered. */
    static String who(Channel channel, String versionHeader) {
        return who(channel, VERSION, versionHeader);
    }

    /** Calls {@code Who} with {@code header: value} (none when the value is null). */
    static String who(Channel channel, Metadata.Key<String> header, String value) {
        Channel target = channel;
        if (value != null) {
            Metadata headers = new Metadata();
            headers.put(header, value);
            target = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
        }
        byte[] answer = ClientCalls.blockingUnaryCall(target, WHO,
                CallOptions.DEFAULT.withDeadlineAfter(2, TimeUnit.SECONDS), new byte[0]);
        return new String(answer, StandardCharsets.UTF_8);
    }

    static String who(Channel channel) {
        return who(channel, null);
    }

    @Override
    public void close() {
        servers.forEach(Server::shutdownNow);
    }

    /** Raw bytes as a gRPC message. */
    private enum Bytes implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
