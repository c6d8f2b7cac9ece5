package io.beacon.web;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Request rates per client address, under {@code beacon.limits.*}: each budget ({@link RateBudget}) allows
 * a burst of its value (registrations: of {@code registration-burst}, other writes: of {@code write-burst})
 * and refills at its value per minute; 0 turns it off.
 *
 * @param registrationsPerMinute registrations and re-registrations per client and minute (native and Eureka)
 * @param registrationBurst most registrations a client may make at once, refilled steadily at
 *     {@code registrations-per-minute} (a deploy of this many instances behind one address registers at once;
 *     a flood is spread over the minute instead of landing in one burst); 0 allows the whole per-minute value
 *     at once
 * @param writesPerMinute other writes per client and minute: deregistrations, reports, policies, drains,
 *     Eureka status and metadata changes
 * @param writeBurst most of those other writes a client may send at once, refilled steadily at
 *     {@code writes-per-minute} (a deploy of this many instances behind one address deregisters at once; a
 *     flood of reports is spread over the minute instead of landing at once); 0 allows the whole per-minute
 *     value at once
 * @param readsPerMinute reads per client and minute: discovery, long polls, watch streams, Eureka and
 *     Prometheus reads, the API description (never {@code /actuator})
 * @param heartbeatsPerMinute heartbeats and Eureka renewals per client and minute
 * @param maxRateClients most client addresses whose budgets are tracked at once (about 1 KB each); past it, and
 *     after 2 minutes without a request, a client's budgets are dropped, and it starts again with full ones
 * @param refusalDelay how long a request over its budget waits for its 429, holding no thread: between half
 *     this and all of it, at random, so that a flood's refusals do not come back in one wave (not shortened when
 *     the budget refills sooner, never past its {@code Retry-After}; at most 64 such refusals per client and
 *     512 in all wait, the others are answered at once): a client that ignores {@code Retry-After} and sends
 *     again as soon as it is answered is slowed to one refusal per connection and delay; 0 answers at once (0 to
 *     10s)
 */
@ConfigurationProperties("beacon.limits")
@Validated
public record RateLimits(
        @DefaultValue("20000") @PositiveOrZero int registrationsPerMinute,
        @DefaultValue("2000") @PositiveOrZero int registrationBurst,
        @DefaultValue("6000") @PositiveOrZero int writesPerMinute,
        @DefaultValue("1000") @PositiveOrZero int writeBurst,
        @DefaultValue("60000") @PositiveOrZero int readsPerMinute,
        @DefaultValue("60000") @PositiveOrZero int heartbeatsPerMinute,
        @DefaultValue("20000") @Positive int maxRateClients,
        @NotNull @DefaultValue("1s") Duration refusalDelay) {

    public RateLimits {
        if (refusalDelay.isNegative() || refusalDelay.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("beacon.limits.refusal-delay must be between 0 and 10s");
        }
    }

    /**
     * The most requests of {@code budget} a client may send at once: {@code registration-burst} for
     * registrations and {@code write-burst} for other writes (each when set and below the per-minute value),
     * the per-minute value otherwise.
     */
    public int burst(RateBudget budget) {
        int perMinute = perMinute(budget);
        int burst = switch (budget) {
            case REGISTRATIONS -> registrationBurst;
            case WRITES -> writeBurst;
            default -> 0;
        };
        return burst > 0 ? Math.min(burst, perMinute) : perMinute;
    }

    /** The per-minute value of {@code budget}; 0 when it is off. */
    public int perMinute(RateBudget budget) {
        return switch (budget) {
            case REGISTRATIONS -> registrationsPerMinute;
            case WRITES -> writesPerMinute;
            case READS -> readsPerMinute;
            case HEARTBEATS -> heartbeatsPerMinute;
        };
    }
}
