package io.beacon.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.Instance;
import io.beacon.support.TestInstances;
import io.beacon.web.InstanceView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The large answers' instance lists are views made as they are written: the bytes are those of a list of
 * ready views, and the answer itself holds no views.
 */
class ResponsesTest {

    private final JsonMapper json = JsonMapper.builder().build();
    private final List<Instance> instances = IntStream.range(0, 2_000)
            .mapToObj(n -> TestInstances.instance("huge", "i-" + n, Instant.parse("2030-01-01T00:00:00Z")
                    .plusMillis(n * 7L)))
            .toList();

    @Test
    void aDiscoveryAnswerIsWrittenAsAListOfReadyViewsWouldBe() {
        List<InstanceView> ready = instances.stream().map(InstanceView::of).toList();
        for (boolean panic : new boolean[] {false, true}) {
            Responses.Discovery lazy = Responses.Discovery.of("huge", instances, 42, panic);
            Responses.Discovery eager = new Responses.Discovery("huge", ready, ready.size(), 42,
                    panic ? Boolean.TRUE : null);
            assertThat(json.writeValueAsBytes(lazy)).isEqualTo(json.writeValueAsBytes(eager));
            assertThat(lazy).isEqualTo(eager);
        }
    }

    @Test
    void theCatalogViewOfAServiceToo() {
        List<InstanceView> ready = instances.stream().map(InstanceView::of).toList();
        Responses.ServiceDetail lazy = new Responses.ServiceDetail("huge",
                Responses.views(instances, InstanceView::of), instances.size(), 9);
        Responses.ServiceDetail eager = new Responses.ServiceDetail("huge", ready, ready.size(), 9);
        assertThat(json.writeValueAsBytes(lazy)).isEqualTo(json.writeValueAsBytes(eager));
    }

    @Test
    void theAnswerHoldsNoViewsAndIsNotChangedByItsSource() {
        List<Instance> source = new ArrayList<>(instances);
        Responses.Discovery answer = Responses.Discovery.of("huge", source, 1);
        InstanceView first = answer.services().get(0);
        assertThat(answer.services().get(0)).as("made on each read").isNotSameAs(first).isEqualTo(first);
        source.clear();
        assertThat(answer.services()).hasSize(2_000);
        assertThat(answer.count()).isEqualTo(2_000);
        assertThat(answer.services().get(1_999).id()).isEqualTo("i-1999");
    }
}
