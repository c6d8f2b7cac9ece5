package io.beacon.discovery;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Blocking discovery settings, under {@code beacon.watch.*} with the change stream's.
 *
 * @param defaultWait how long a blocking {@code /discover} holds the request when {@code wait} is not given
 * @param maxWait largest {@code wait} honoured; larger values are capped to it
 */
@ConfigurationProperties("beacon.watch")
@Validated
record LongPollProperties(
        @NotNull @DefaultValue("30s") Duration defaultWait,
        @NotNull @DefaultValue("5m") Duration maxWait) {

    public LongPollProperties {
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("beacon.watch.max-wait must be positive");
        }
        if (defaultWait.isNegative() || defaultWait.isZero()) {
            throw new IllegalArgumentException("beacon.watch.default-wait must be positive");
        }
    }
}
