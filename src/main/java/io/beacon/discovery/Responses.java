package io.beacon.discovery;

import io.beacon.web.InstanceView;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.beacon.registry.Instance;
import java.util.AbstractList;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.function.Function;

/**
 * Response bodies of the native API. The instance lists of the large answers ({@link Discovery},
 * {@link ServiceDetail}) are views over the registry's immutable instances: each {@link InstanceView} is made
 * when the list is read (by Jackson, as it writes the answer to the response) and is garbage right after, so
 * an answer of a service with 20,000 instances holds no 20,000 views while it is being written to a slow
 * client — only the snapshot's own list and the writer's buffers.
 */
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
            return new Discovery(name, views(instances, InstanceView::of), instances.size(), index,
                    panic ? Boolean.TRUE : null);
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

    /**
     * {@code instances} seen through {@code view}, made on each read: an immutable list that holds nothing but
     * the two references. The instances are immutable, so every read gives an equal view.
     */
    static <T> List<T> views(List<Instance> instances, Function<Instance, T> view) {
        return new Views<>(List.copyOf(instances), view);
    }

    private static final class Views<T> extends AbstractList<T> implements RandomAccess {

        private final List<Instance> instances;
        private final Function<Instance, T> view;

        Views(List<Instance> instances, Function<Instance, T> view) {
            this.instances = instances;
            this.view = view;
        }

        @Override
        public T get(int index) {
            return view.apply(instances.get(index));
        }

        @Override
        public int size() {
            return instances.size();
        }
    }
}
