package io.beacon.background;

import java.time.Duration;

/**
 * A periodic pass over Beacon's state (expiry, outlier ejections). A bean that implements it is run on
 * the background scheduler, {@link #interval()} after the end of its previous run, from the moment the
 * application has started until it stops. A failing run is logged and the next one still happens. The
 * pass itself stays a plain method, so tests call it directly instead of waiting for the schedule.
 */
public interface BackgroundPass {

    /** A few words naming the pass in logs, e.g. {@code expiry sweep}. */
    String passName();

    /** Delay between the end of one run and the start of the next. */
    Duration passInterval();

    /** One run. */
    void runPass();
}
