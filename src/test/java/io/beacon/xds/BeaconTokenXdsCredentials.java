package io.beacon.xds;

import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.xds.XdsCredentialsProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The proxyless client side of enforced mode, as docs/xds.md shows it: a grpc-java xDS channel credentials type
 * {@code beacon_token} (registered through {@code META-INF/services/io.grpc.xds.XdsCredentialsProvider}) for the
 * bootstrap's {@code channel_creds}, {@code {"type": "beacon_token", "config": {"token_file": "/path"}}}: plain
 * text with {@code authorization: Bearer <token>} on every call to the xDS server, the token read from the file
 * at each call (so a rotated file is picked up). grpc-java 1.85 reads no {@code call_creds} for xDS servers.
 */
public final class BeaconTokenXdsCredentials extends XdsCredentialsProvider {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    @Override
    protected ChannelCredentials newChannelCredentials(Map<String, ?> config) {
        Object file = config == null ? null : config.get("token_file");
        if (!(file instanceof String path)) {
            return null; // the bootstrap is then refused: no supported channel credentials
        }
        return CompositeChannelCredentials.create(InsecureChannelCredentials.create(), new TokenFile(Path.of(path)));
    }

    @Override
    protected String getName() {
        return "beacon_token";
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public int priority() {
        return 5;
    }

    /** {@code authorization: Bearer <the file's content>} on every call. */
    private static final class TokenFile extends CallCredentials {

        private final Path file;

        TokenFile(Path file) {
            this.file = file;
        }

        @Override
        public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
            executor.execute(() -> {
                try {
                    Metadata headers = new Metadata();
                    headers.put(AUTHORIZATION, "Bearer " + Files.readString(file, StandardCharsets.UTF_8).strip());
                    applier.apply(headers);
                } catch (IOException e) {
                    applier.fail(Status.UNAUTHENTICATED.withDescription("cannot read the token file " + file)
                            .withCause(e));
                }
            });
        }
    }
}
