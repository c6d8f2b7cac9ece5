package io.beacon.discovery;

import io.beacon.web.InstanceView;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.beacon.registry.Instance;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Response bodies of the native API. */
public final class Responses {

    private Responses() {
    }

    /** {@code GET /discover}: the instances discovery returns and the service's index. */
    public record Discovery(String name, List<InstanceView> services, int count, long index,
            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean panic) {
        public static Discovery of(String name, List<Instance> instances, long index) {
            return of(name, instances, index, false);
        }

        /** {@code panic} is shown only when true: too few healthy instances, ejected ones included. */
        public static Discovery of(String name, List<Instance> instances, long index, boolean panic) {
            return new Discovery(name, InstanceView.of(instances), instances.size(), index, panic ? Boolean.TRUE : null);
        }
    }


    /** One entry of {@code GET /services}. */
    public record ServiceSummary(String name, int instances, Map<String, Long> statuses, long index) {
    }

    /** {@code GET /services}. */
    public record Catalog(List<ServiceSummary> services, int count) {
    }

    /** {@code GET /services/{name}}: every instance, any status. */
    public record ServiceDetail(String name, List<InstanceView> instances, int count, long index) {
    }
}
