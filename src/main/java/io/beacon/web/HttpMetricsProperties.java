package io.beacon.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How HTTP requests are measured, {@code beacon.metrics.http.*}.
 *
 * @param observation record {@code http.server.requests} through Spring Boot's HTTP observation (adds
 *        {@code http.server.requests.active} and tracing hooks, at several times the per-request cost)
 *        instead of Beacon's lean request timer with the same name and tags
 */
@ConfigurationProperties("beacon.metrics.http")
record HttpMetricsProperties(@DefaultValue("false") boolean observation) {
}
