/**
 * What a cluster member cut off from the majority answers: Infinispan's partition handling refuses its
 * writes with an {@code AvailabilityException}, which {@link io.beacon.partition.CutOff} turns into the
 * registry's {@code RegistryUnavailableException} (a 503 with a detail a client can act on). Shared by the
 * cluster's registry, check and breaker state and by the replicated token store, so that neither depends
 * on the other.
 */
package io.beacon.partition;
