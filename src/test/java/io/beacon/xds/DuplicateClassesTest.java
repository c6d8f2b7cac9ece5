package io.beacon.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Status;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * java-control-plane's api jar carries its own copies of some {@code com.google.rpc}, {@code com.google.api}
 * and {@code dev.cel.expr} classes, which proto-google-common-protos (main) and dev.cel:protobuf (grpc-xds,
 * test scope) carry too. The api jar is declared first, so its copies win; they must still work with the
 * protobuf runtime (a NACK's {@code error_detail} is a {@code com.google.rpc.Status}).
 */
class DuplicateClassesTest {

    @Test
    void theApiJarsCopiesComeFirstAndWork() throws Exception {
        assertThat(origin("com/google/rpc/Status.class")).contains("/io/envoyproxy/controlplane/api/");
        assertThat(origin("com/google/api/HttpRule.class")).contains("/io/envoyproxy/controlplane/api/");
        assertThat(origin("dev/cel/expr/Expr.class")).contains("/io/envoyproxy/controlplane/api/");

        Status status = Status.newBuilder().setCode(3).setMessage("rejected").build();
        assertThat(Status.parseFrom(status.toByteArray()).getMessage()).isEqualTo("rejected");
    }

    private static String origin(String resource) {
        URL url = DuplicateClassesTest.class.getClassLoader().getResource(resource);
        assertThat(url).as(resource).isNotNull();
        return url.toString();
    }
}
