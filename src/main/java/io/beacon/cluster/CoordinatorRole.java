package io.beacon.cluster;

import io.beacon.role.NodeRole;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachemanagerlistener.annotation.ViewChanged;
import org.infinispan.notifications.cachemanagerlistener.event.ViewChangedEvent;
import org.infinispan.remoting.transport.Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's {@link NodeRole}: held by the JGroups coordinator (the oldest member of the current view).
 * Every member computes the holder from the same view, so at most one member believes it holds the role
 * once a view is installed everywhere; when the holder dies, the next view (installed once failure
 * detection suspects it) names the next-oldest member, which acts at its next pass.
 *
 * <p>During a split each side has its own coordinator; Infinispan's partition handling refuses the
 * minority's writes (see {@link ClusterConfiguration}), so a minority holder's expiry changes nothing.
 */
@Listener(sync = false)
final class CoordinatorRole implements NodeRole {

    private static final Logger log = LoggerFactory.getLogger(CoordinatorRole.class);

    private final EmbeddedCacheManager manager;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile String holder;

    CoordinatorRole(EmbeddedCacheManager manager) {
        this.manager = manager;
        this.holder = name(manager.getCoordinator());
        manager.addListener(this);
    }

    @Override
    public boolean holdsExpiry() {
        return manager.isCoordinator();
    }

    @Override
    public String holder() {
        return name(manager.getCoordinator());
    }

    @Override
    public String member() {
        return name(manager.getAddress());
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    @ViewChanged
    public void viewChanged(ViewChangedEvent event) {
        String now = holder();
        if (Objects.equals(now, holder)) {
            return;
        }
        holder = now;
        boolean mine = holdsExpiry();
        log.info("Expiry role moved to {} (members {}){}", now, event.getNewMembers(),
                mine ? "; this member applies lease expiry from its next sweep" : "");
        for (Listener listener : listeners) {
            try {
                listener.roleChanged(mine, now);
            } catch (RuntimeException e) {
                log.warn("A node-role listener failed", e);
            }
        }
    }

    private static String name(Address address) {
        return address == null ? "none" : address.toString();
    }

    @Override
    public String toString() {
        return "coordinator role (holder " + holder() + ")";
    }
}
