package io.beacon.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.beacon.registry.CheckSpec;
import io.beacon.registry.Instance;
import io.beacon.registry.InstanceStatus;
import io.beacon.registry.ServiceName;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Why an instance has its status: the cause, its fields and the sentence, for every cause. */
class StatusExplanationTest {

    static final Instant T0 = Instant.parse("2030-01-01T12:03:00Z");

    static Instance instance() {
        return Instance.builder(ServiceName.of("orders"), null, "10.0.0.5", 8080)
                .lease(Duration.ofSeconds(30), Duration.ofSeconds(90)).build(T0);
    }

    @Test
    void aCurrentLease() {
        StatusExplanation x = StatusExplanation.of(instance());
        assertThat(x.cause()).isEqualTo("LEASE_CURRENT");
        assertThat(x.expiresAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(x.sentence()).isEqualTo("Lease current: last heartbeat at 12:03:00 UTC, the 30 s lease runs to "
                + "12:03:30 UTC.");
    }

    @Test
    void aLapsedLease() {
        Instant stale = T0.plusSeconds(34);
        Instance i = instance();
        i = i.withState(i.state().withStale(true, stale));
        StatusExplanation x = StatusExplanation.of(i);
        assertThat(x.cause()).isEqualTo("STALE");
        assertThat(x.since()).isEqualTo(stale);
        assertThat(x.lastHeartbeat()).isEqualTo(T0);
        assertThat(x.evictAt()).isEqualTo(T0.plusSeconds(90));
        assertThat(x.sentence()).isEqualTo("STALE since 12:03:34 UTC: no heartbeat since 12:03:00 UTC, longer than its "
                + "30 s lease; evicted at 12:04:30 UTC unless it heartbeats.");
    }

    @Test
    void aDrainNamesTheTokenWhenOneWasUsed() {
        Instance i = instance();
        i = i.withState(i.state().withOverride(InstanceStatus.OUT_OF_SERVICE, T0.plusSeconds(5)));
        assertThat(StatusExplanation.of(i).sentence()).startsWith("OUT_OF_SERVICE since 12:03:05 UTC: drained by an operator;");
        i = i.withAttributes(Map.of(StatusExplanation.DRAINED_BY, "ops-ci"), T0.plusSeconds(5));
        StatusExplanation x = StatusExplanation.of(i);
        assertThat(x.cause()).isEqualTo("DRAINED");
        assertThat(x.by()).isEqualTo("ops-ci");
        assertThat(x.sentence()).startsWith("OUT_OF_SERVICE since 12:03:05 UTC: drained by token 'ops-ci';");
    }

    @Test
    void aFailingCheckBeatsALapsedLease() {
        CheckSpec check = new CheckSpec(CheckSpec.Type.HTTP, "http://10.0.0.5:8080/health", Duration.ofSeconds(10),
                Duration.ofSeconds(1), 3, 2);
        Instance i = Instance.builder(ServiceName.of("orders"), null, "10.0.0.5", 8080).check(check)
                .lease(Duration.ofSeconds(30), Duration.ofSeconds(90)).build(T0);
        i = i.withState(i.state().withStale(true, T0.plusSeconds(31)).withCheckPassing(false, T0.plusSeconds(40)));
        StatusExplanation x = StatusExplanation.of(i);
        assertThat(x.cause()).isEqualTo("CHECK_FAILING");
        assertThat(x.failuresBeforeDown()).isEqualTo(3);
        assertThat(x.sentence()).isEqualTo("DOWN since 12:03:40 UTC: its HTTP check of http://10.0.0.5:8080/health "
                + "failed 3 times in a row.");
    }

    @Test
    void anEjectionAndAReportedStatus() {
        Instance i = instance();
        Instance ejected = i.withState(i.state().withEjected(true, T0.plusSeconds(7)));
        assertThat(StatusExplanation.of(ejected).cause()).isEqualTo("EJECTED");
        assertThat(StatusExplanation.of(ejected).sentence()).startsWith("Ejected since 12:03:07 UTC: clients reported failed calls");
        Instance starting = i.withState(i.state().withReported(InstanceStatus.STARTING, T0.plusSeconds(1)));
        assertThat(StatusExplanation.of(starting).reported()).isEqualTo(InstanceStatus.STARTING);
        assertThat(StatusExplanation.of(starting).sentence()).isEqualTo("STARTING since 12:03:01 UTC: the instance "
                + "reported it is STARTING.");
    }

    @Test
    void aFailingCheckNamesItsLastAnswer() {
        CheckSpec check = new CheckSpec(CheckSpec.Type.HTTP, "http://10.0.0.5:8080/health", Duration.ofSeconds(10),
                Duration.ofSeconds(1), 3, 2);
        Instance i = Instance.builder(ServiceName.of("orders"), null, "10.0.0.5", 8080).check(check)
                .lease(Duration.ofSeconds(30), Duration.ofSeconds(90)).build(T0);
        i = i.withState(i.state().withCheckPassing(false, T0.plusSeconds(40)));
        StatusExplanation x = StatusExplanation.of(i, new StatusFacts("HTTP 503", null, null, null));
        assertThat(x.checkAnswer()).isEqualTo("HTTP 503");
        assertThat(x.sentence()).isEqualTo("DOWN since 12:03:40 UTC: its HTTP check of http://10.0.0.5:8080/health "
                + "failed 3 times in a row, last answer HTTP 503.");
        assertThat(StatusExplanation.of(i, new StatusFacts("connection refused", null, null, null)).sentence())
                .endsWith("failed 3 times in a row, last answer connection refused.");
    }

    @Test
    void anEjectionSaysUntilWhenAndAfterHowManyFailures() {
        Instance i = instance();
        i = i.withState(i.state().withEjected(true, T0.plusSeconds(7)));
        StatusExplanation x = StatusExplanation.of(i, new StatusFacts(null, T0.plusSeconds(37), 5, "OPEN"));
        assertThat(x.cause()).isEqualTo("EJECTED");
        assertThat(x.ejectedUntil()).isEqualTo(T0.plusSeconds(37));
        assertThat(x.reportedFailures()).isEqualTo(5);
        assertThat(x.breaker()).isEqualTo("OPEN");
        assertThat(x.sentence()).isEqualTo("Ejected since 12:03:07 UTC until 12:03:37 UTC: clients reported 5 failed "
                + "calls, so outlier detection keeps it out of discovery. Its breaker is OPEN.");
        assertThat(StatusExplanation.of(i, new StatusFacts(null, T0.plusSeconds(37), null, "OPEN")).sentence())
                .isEqualTo("Ejected since 12:03:07 UTC until 12:03:37 UTC: clients reported failed calls, so outlier "
                        + "detection keeps it out of discovery. Its breaker is OPEN.");
    }

    @Test
    void aHalfOpenBreakerIsNamedOnACurrentLease() {
        StatusExplanation x = StatusExplanation.of(instance(), new StatusFacts(null, null, null, "HALF_OPEN"));
        assertThat(x.breaker()).isEqualTo("HALF_OPEN");
        assertThat(x.sentence()).isEqualTo("Lease current: last heartbeat at 12:03:00 UTC, the 30 s lease runs to "
                + "12:03:30 UTC. Its breaker is HALF_OPEN: the next calls clients report decide whether it is ejected "
                + "again.");
        StatusExplanation closed = StatusExplanation.of(instance(), new StatusFacts(null, null, null, "CLOSED"));
        assertThat(closed.breaker()).isEqualTo("CLOSED");
        assertThat(closed.sentence()).endsWith("runs to 12:03:30 UTC.");
    }

    @Test
    void factsOfSeveralSourcesAreMerged() {
        StatusFacts.Source check = i -> new StatusFacts("HTTP 503", null, null, null);
        StatusFacts.Source outlier = i -> new StatusFacts(null, T0, 4, "OPEN");
        StatusFacts facts = StatusFacts.of(instance(), java.util.List.of(check, outlier));
        assertThat(facts).isEqualTo(new StatusFacts("HTTP 503", T0, 4, "OPEN"));
        assertThat(StatusFacts.of(instance(), java.util.List.of())).isEqualTo(StatusFacts.NONE);
    }
}
