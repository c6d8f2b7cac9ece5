package io.beacon.cluster;

import io.beacon.health.CheckProgress;
import org.infinispan.protostream.annotations.ProtoField;

/** The replicated form of a {@link CheckProgress}; {@code renewedByCheck} in epoch nanoseconds. */
public record StoredCheckProgress(
        @ProtoField(1) String spec,
        @ProtoField(number = 2, defaultValue = "0") int failures,
        @ProtoField(number = 3, defaultValue = "0") int successes,
        @ProtoField(number = 4, defaultValue = "0") long renewedByCheck,
        @ProtoField(number = 5, defaultValue = "false") boolean heartbeating,
        @ProtoField(6) String lastAnswer) {

    static StoredCheckProgress of(CheckProgress p) {
        return new StoredCheckProgress(p.spec(), p.failures(), p.successes(), StoredInstance.nanos(p.renewedByCheck()),
                p.heartbeating(), p.lastAnswer());
    }

    CheckProgress toProgress() {
        return new CheckProgress(spec, failures, successes, StoredInstance.instant(renewedByCheck), heartbeating,
                lastAnswer);
    }
}
