package io.beacon.security;

import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The audit log under {@code beacon.security.audit.*}.
 *
 * @param renewals whether allowed lease renewals ({@code PUT /heartbeat/...} and Eureka's renew) get an audit
 *     line too. Off by default: a renewal changes nothing of what is registered, and a fleet of 10,000
 *     instances renewing every 30 s would write about 330 lines a second, the request's largest cost. Refused
 *     renewals (401, 403) and renewals of unknown instances (404) are always audited, like every other
 *     state-changing request.
 * @param queueSize how many audit lines may wait for the one thread that writes them. A request only queues
 *     its line; when the queue is full it waits, and no line is dropped. {@code 0} writes each line on the
 *     request's own thread, before the response is sent, which under concurrent writes makes the requests
 *     queue on the log appender's lock instead.
 */
@ConfigurationProperties("beacon.security.audit")
@Validated
public record AuditProperties(
        @DefaultValue("false") boolean renewals,
        @DefaultValue("1024") @PositiveOrZero int queueSize) {
}
