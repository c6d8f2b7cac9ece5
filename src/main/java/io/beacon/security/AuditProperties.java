package io.beacon.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The audit log under {@code beacon.security.audit.*}.
 *
 * @param renewals whether allowed lease renewals ({@code PUT /heartbeat/...} and Eureka's renew) get an audit
 *     line too. Off by default: a renewal changes nothing of what is registered, and a fleet of 10,000
 *     instances renewing every 30 s would write about 330 lines a second, the request's largest cost. Refused
 *     renewals (401, 403) and renewals of unknown instances (404) are always audited, like every other
 *     state-changing request.
 */
@ConfigurationProperties("beacon.security.audit")
public record AuditProperties(@DefaultValue("false") boolean renewals) {
}
