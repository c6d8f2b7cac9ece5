package io.beacon.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Envoy bootstrap in docs/xds.md is a valid Envoy {@code Bootstrap} (parsed as Envoy parses YAML: YAML to
 * JSON to the proto, unknown fields rejected) whose ADS points at Beacon's xDS port through a static cluster.
 */
class XdsDocumentationTest {

    static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theEnvoyBootstrapParsesAndNamesBeaconsAdsCluster() throws Exception {
        String doc = Files.readString(Path.of("docs", "xds.md"));
        Matcher block = YAML_BLOCK.matcher(doc);
        assertThat(block.find()).as("a yaml block in docs/xds.md").isTrue();
        Map<String, Object> yaml = new Yaml().load(block.group(1));
        String json = JsonMapper.builder().build().writeValueAsString(yaml);

        TypeRegistry types = TypeRegistry.newBuilder().add(HttpConnectionManager.getDescriptor())
                .add(Router.getDescriptor()).add(HttpProtocolOptions.getDescriptor()).build();
        Bootstrap.Builder bootstrap = Bootstrap.newBuilder();
        JsonFormat.parser().usingTypeRegistry(types).merge(json, bootstrap);

        String ads = bootstrap.getDynamicResources().getAdsConfig().getGrpcServices(0).getEnvoyGrpc().getClusterName();
        Cluster beacon = bootstrap.getStaticResources().getClustersList().stream()
                .filter(c -> c.getName().equals(ads)).findFirst().orElseThrow();
        assertThat(beacon.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress()
                .getSocketAddress().getPortValue()).as("Beacon's default xDS port").isEqualTo(18000);
        assertThat(bootstrap.getDynamicResources().getCdsConfig().hasAds()).isTrue();
        HttpConnectionManager hcm = bootstrap.getStaticResources().getListeners(0).getFilterChains(0).getFilters(0)
                .getTypedConfig().unpack(HttpConnectionManager.class);
        assertThat(hcm.getRds().getConfigSource().hasAds()).isTrue();
        assertThat(hcm.getHttpFiltersList().get(hcm.getHttpFiltersCount() - 1).getName())
                .isEqualTo(XdsMapping.ROUTER_FILTER);
    }

    @Test
    void theEnforcedModeSnippetPutsTheTokenInTheAdsServicesInitialMetadata() throws Exception {
        String doc = Files.readString(Path.of("docs", "xds.md"));
        Matcher block = YAML_BLOCK.matcher(doc);
        assertThat(block.find() && block.find()).as("a second yaml block in docs/xds.md").isTrue();
        Map<String, Object> yaml = new Yaml().load(block.group(1));
        Bootstrap.Builder bootstrap = Bootstrap.newBuilder();
        JsonFormat.parser().merge(JsonMapper.builder().build().writeValueAsString(yaml), bootstrap);

        var ads = bootstrap.getDynamicResources().getAdsConfig().getGrpcServices(0);
        assertThat(ads.getInitialMetadata(0).getKey()).isEqualTo("authorization");
        assertThat(ads.getInitialMetadata(0).getValue()).startsWith("Bearer ");
    }
}
