package io.beacon.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The request body limit, {@code beacon.limits.max-body-bytes}.
 *
 * @param maxBodyBytes largest accepted request body, in bytes
 */
@ConfigurationProperties("beacon.limits")
record BodyLimitProperties(@DefaultValue("65536") int maxBodyBytes) {
}
