package io.beacon.watch;


import io.beacon.registry.Registry;
import io.beacon.registry.RegistryEvent;
import io.beacon.registry.RegistryListener;
import io.beacon.registry.ServiceName;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fans registry changes out to watchers. The listener runs on the writing thread after the registry has
 * released the service's lock, in index order per service (a best-effort {@code RegistryListener}, so the
 * write waits for it): it only serialises the change once, appends it to the service's history and
 * enqueues the ready frame; writing to sockets and answering woken long polls happen on the sender
 * threads (a Spring-managed scheduler, {@link WatchConfiguration}). Renewals are ignored. A change to
 * service Y touches only Y's {@link ServiceWatch}. The same threads keep the timers of watchers: each
 * stream's keep-alive and each held poll's timeout ({@link #schedule}).
 */
@Component
public class WatchHub implements RegistryListener {

    /** Smallest share of a wake-up handed to one sender thread. */
    private static final int WAKE_CHUNK = 64;

    private final ConcurrentHashMap<ServiceName, ServiceWatch> services = new ConcurrentHashMap<>();
    private final Set<StreamSubscriber> streams = ConcurrentHashMap.newKeySet();
    private final GlobalWatch global;
    private final Registry registry;
    private final JsonMapper json;
    private final Snapshots snapshots;
    private final WatchMetrics metrics;
    private final WatchProperties properties;
    private final ThreadPoolTaskScheduler threads;
    private final HistoryBudget historyBudget;

    WatchHub(Registry registry, JsonMapper json, WatchMetrics metrics, WatchProperties properties,
            @Qualifier(WatchConfiguration.THREADS) ThreadPoolTaskScheduler threads, java.time.Clock clock) {
        this.registry = registry;
        this.json = json;
        this.metrics = metrics;
        this.properties = properties;
        this.snapshots = new Snapshots(registry, json, clock);
        this.global = new GlobalWatch(properties.globalHistory(), new HistoryBudget(properties.globalHistoryBytes()));
        this.historyBudget = new HistoryBudget(properties.historyBytes());
        this.threads = threads;
    }

    @Override
    public void on(RegistryEvent event) {
        if (!event.isChange()) {
            return;
        }
        long changedAt = metrics.now();
        String kind = WatchEvent.kindName(event.kind());
        byte[] data = json.writeValueAsBytes(WatchEvent.of(event));
        List<Waiter> woken = watch(event.service(), 0).change(event.index(), Frames.event(kind, event.index(), data));
        global.change(event.service(), event.index(), position -> Frames.event(kind, position, data));
        metrics.event();
        if (!woken.isEmpty()) {
            run(() -> wake(woken, changedAt));
        }
    }

    /** The watch of a service; a new one starts its history at {@code floor}. */
    ServiceWatch watch(ServiceName name, long floor) {
        ServiceWatch existing = services.get(name);
        return existing != null ? existing
                : services.computeIfAbsent(name, n -> new ServiceWatch(n, floor, properties.history(), historyBudget));
    }

    /** Parks a long poll on a service; false when it must be answered now. */
    public boolean park(ServiceName name, Waiter poll, long clientIndex) {
        ServiceWatch watch = watch(name, registry.index(name));
        if (!poll.count()) {
            return false;
        }
        metrics.longPolls.incrementAndGet();
        if (watch.park(poll, clientIndex, () -> registry.index(name))) {
            return true;
        }
        release(poll);
        return false;
    }

    /** Forgets a long poll (answered, timed out or failed). */
    public void unpark(ServiceName name, Waiter poll) {
        ServiceWatch watch = services.get(name);
        if (watch != null) {
            watch.unpark(poll);
        }
        release(poll);
    }

    private void release(Waiter poll) {
        if (poll.uncount()) {
            metrics.longPolls.decrementAndGet();
        }
    }

    /**
     * Answers woken waiters (long polls): one answer is built (and serialised) per filter set, then written to
     * every poll that shares it. Large wake-ups are split across the sender threads. Every answer is
     * flushed to its socket before any request is completed: completions are container work (a dispatch
     * and a request recycle each) that would otherwise compete with the writes still to be made, and
     * that the clients, who already hold the whole answer, need not wait for ({@link WakeUp}).
     *
     * @param changedAt when the change happened ({@link WatchMetrics#now}), for the wake-up timer
     */
    private void wake(List<Waiter> woken, long changedAt) {
        Map<Object, Waiter.Prepared> answers = new HashMap<>();
        Waiter.Prepared[] ready = new Waiter.Prepared[woken.size()];
        for (int i = 0; i < ready.length; i++) {
            Waiter poll = woken.get(i);
            ready[i] = answers.computeIfAbsent(poll.shareKey(), k -> poll.prepare());
        }
        int chunk = Math.max(WAKE_CHUNK, (ready.length + properties.senderThreads() - 1) / properties.senderThreads());
        WakeUp wake = new WakeUp(woken, ready, (ready.length + chunk - 1) / chunk, () -> metrics.woke(changedAt));
        for (int from = chunk; from < ready.length; from += chunk) {
            int start = from;
            int end = Math.min(ready.length, from + chunk);
            run(() -> wake.send(start, end));
        }
        wake.send(0, Math.min(ready.length, chunk));
    }

    /**
     * Runs {@code task} on the watch threads after {@code delay}; null when the application is closing
     * and no new timer is accepted.
     */
    public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        try {
            return threads.schedule(task, threads.getClock().instant().plus(delay));
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    private void run(Runnable task) {
        try {
            threads.execute(task);
        } catch (RejectedExecutionException e) {
            task.run(); // shutting down: answer on this thread rather than leave requests held
        }
    }

    /**
     * Opens a stream for one service (or every service when {@code name} is null), starting with the
     * history after {@code lastEventId} or a snapshot.
     */
    void subscribe(StreamSubscriber s, Long lastEventId) {
        streams.add(s);
        metrics.streams.incrementAndGet();
        if (s.service == null) {
            global.subscribe(s, lastEventId, snapshots::all);
        } else {
            watch(s.service, registry.index(s.service)).subscribe(s, lastEventId, () -> snapshots.service(s.service));
        }
        s.startKeepAlive();
    }

    /** Called once when a stream ends. */
    void ended(StreamSubscriber s, StreamSubscriber.End why) {
        if (s.service == null) {
            global.unsubscribe(s);
        } else {
            ServiceWatch watch = services.get(s.service);
            if (watch != null) {
                watch.unsubscribe(s);
            }
        }
        if (streams.remove(s)) {
            metrics.streams.decrementAndGet();
        }
        if (why == StreamSubscriber.End.OVERFLOW) {
            metrics.dropped();
        }
    }

    /** Bytes the per-service histories hold now. */
    long historyBytes() {
        return historyBudget.used();
    }

    /** The watch threads, for stream subscribers' writes and keep-alive timers, and held watchers' callbacks. */
    public ThreadPoolTaskScheduler threads() {
        return threads;
    }

    /**
     * On shutdown, before the web server's graceful stop: ends every stream (clients reconnect elsewhere
     * with Last-Event-ID) and answers every held long poll, so no watcher delays the shutdown.
     */
    @EventListener(ContextClosedEvent.class)
    void closing() {
        for (StreamSubscriber s : streams) {
            s.end(StreamSubscriber.End.SHUTDOWN);
        }
        for (ServiceWatch watch : services.values()) {
            List<Waiter> held = watch.unparkAll();
            if (!held.isEmpty()) {
                wake(held, metrics.now());
            }
        }
    }
}
