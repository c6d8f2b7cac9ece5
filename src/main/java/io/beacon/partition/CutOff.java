package io.beacon.partition;

import io.beacon.registry.RegistryUnavailableException;
import org.infinispan.partitionhandling.AvailabilityException;

/**
 * Translation of a write refused by Infinispan's partition handling (this member is in a minority
 * partition, see docs/cluster.md) into a {@link RegistryUnavailableException}; any other failure is
 * returned as it is. The refusal is found in the exception or any of its causes, since Infinispan may wrap
 * it (a {@code CompletionException}, a remote failure).
 */
public final class CutOff {

    private CutOff() {
    }

    /**
     * {@code e} translated: a {@link RegistryUnavailableException} naming what this member refuses when
     * {@code e} or one of its causes is an {@link AvailabilityException}, otherwise {@code e} itself.
     *
     * @param refused what the member takes none of while cut off, as it reads in the answer ("writes",
     *     "token changes")
     */
    public static RuntimeException translated(RuntimeException e, String refused) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof AvailabilityException) {
                return unavailable(refused, e);
            }
        }
        return e;
    }

    /** The answer of a member cut off from the majority, refusing {@code refused}. */
    public static RegistryUnavailableException unavailable(String refused, Throwable cause) {
        return new RegistryUnavailableException("This Beacon member is cut off from the majority of its cluster and "
                + "takes no " + refused + " until it rejoins; retry, or send the request to another member.", cause);
    }
}
