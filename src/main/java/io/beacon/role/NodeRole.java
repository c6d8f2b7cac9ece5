package io.beacon.role;

/**
 * Which member does the work that must happen once per cluster: lease expiry, self-preservation, and
 * the sweeps that must not run on every member. A single node always holds the role; in a cluster
 * exactly one member holds it at a time (the cluster implementation elects it from the current view and
 * moves it when that member leaves). Work that must run once asks {@link #holdsExpiry()} at the moment
 * it would act, so a member that just lost the role stops at its next pass, and the new holder starts
 * at its next pass.
 */
public interface NodeRole {

    /** True while this member holds the role (always true on a single node). */
    boolean holdsExpiry();

    /** The name of the member holding the role as this member sees it ({@code local} on a single node). */
    String holder();

    /** This member's own name ({@code local} on a single node). */
    String member();

    /**
     * Calls {@code listener} whenever the holder changes as this member sees it (a view change), on a
     * thread of the membership service: a listener must be quick and must not block.
     */
    void addListener(Listener listener);

    /** Told of a change of holder. */
    @FunctionalInterface
    interface Listener {
        /**
         * @param holdsExpiry whether this member holds the role now
         * @param holder the name of the member holding it now
         */
        void roleChanged(boolean holdsExpiry, String holder);
    }

    /** The role of a node that is not part of a cluster: it always holds it, and it never changes. */
    NodeRole SINGLE_NODE = new NodeRole() {
        @Override
        public boolean holdsExpiry() {
            return true;
        }

        @Override
        public String holder() {
            return "local";
        }

        @Override
        public String member() {
            return "local";
        }

        @Override
        public void addListener(Listener listener) {
        }

        @Override
        public String toString() {
            return "single node";
        }
    };
}
