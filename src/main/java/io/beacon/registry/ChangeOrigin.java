package io.beacon.registry;

/**
 * Whether a change was applied by this node, for counters that must count each change once however many
 * nodes see it: in a cluster every member delivers every change's event, but only the member that made the
 * change says {@code true} (once per event). A single node made every change it sees.
 */
@FunctionalInterface
public interface ChangeOrigin {

    /** True when this node made the change {@code event} reports (asked at most once per removal or STALE marking). */
    boolean appliedHere(RegistryEvent event);

    /** A single node: every change is its own. */
    ChangeOrigin SINGLE_NODE = event -> true;
}
