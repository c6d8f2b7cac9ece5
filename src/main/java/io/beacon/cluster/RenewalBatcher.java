package io.beacon.cluster;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import io.beacon.registry.RegistryUnavailableException;
import org.infinispan.functional.FunctionalMap.ReadWriteMap;
import org.infinispan.functional.Traversable;
import org.springframework.context.SmartLifecycle;

/**
 * Group commit of heartbeats. Every heartbeat must be replicated to every member before it is
 * acknowledged, but one replicated command per heartbeat spends most of the cluster's CPU on messaging.
 * Heartbeats that arrive while earlier ones are being replicated are queued and replicated together as
 * one functional command ({@link ReadWriteMap#evalMany}): each key is renewed atomically on its owners
 * by {@link Renewal.Apply}, and each caller is answered only when its batch is acknowledged by every
 * member. Under light load a batch holds one heartbeat and costs what a single write costs; under heavy
 * load batches grow, so throughput rises with concurrency instead of queueing on the network.
 *
 * <p>One writer thread takes one batch at a time, so batches are as large as the load makes them (fewer,
 * larger commands: on three members sharing two cores this gave the highest acknowledged rate, against
 * two or four writers, or one queue per owning member); the owners' shares of a batch are replicated at
 * the same time.
 *
 * <p>Its threads live between {@link #start} and {@link #stop} (Spring's lifecycle): it starts before
 * the web server takes requests and stops after the server has finished the ones in flight.
 */
final class RenewalBatcher implements SmartLifecycle {

    /** Before the web server starts (and after it stops): heartbeats reach a running writer. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;


    /** Which member currently owns a key (writes to it are locked and ordered there). */
    @FunctionalInterface
    interface PrimaryOwners {
        Object primaryOf(String key);
    }

    private record Pending(String key, Renewal renewal, CompletableFuture<StoredInstance> result) {
    }

    private final ReadWriteMap<String, StoredInstance> map;
    private final PrimaryOwners owners;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final int maxBatch;
    private final long timeoutNanos;
    private final Timer replication;
    private final DistributionSummary batchSizes;
    private Thread writer;
    /** Runs the owners' shares of one batch at the same time (one thread per member is plenty). */
    private volatile ExecutorService partWriters;
    private volatile boolean open;

    /**
     * @param maxBatch the most heartbeats in one replicated command
     * @param timeout how long a caller waits for its batch to be acknowledged
     */
    RenewalBatcher(ReadWriteMap<String, StoredInstance> map, PrimaryOwners owners, int maxBatch, Duration timeout,
            Timer replication, DistributionSummary batchSizes) {
        this.map = map;
        this.owners = owners;
        this.maxBatch = maxBatch;
        this.timeoutNanos = timeout.toNanos();
        this.replication = replication;
        this.batchSizes = batchSizes;
    }

    @Override
    public synchronized void start() {
        if (open) {
            return;
        }
        partWriters = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "beacon-cluster-renewals-part");
            t.setDaemon(true);
            return t;
        });
        open = true;
        writer = new Thread(this::run, "beacon-cluster-renewals");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public boolean isRunning() {
        return open;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * Renews {@code key} and returns its new value once every member holds it, or null when there is no
     * live instance under the key.
     */
    StoredInstance renew(String key, Renewal renewal) {
        if (!open) {
            throw new RegistryUnavailableException("This Beacon member is shutting down; send the heartbeat to another member.");
        }
        Pending pending = new Pending(key, renewal, new CompletableFuture<>());
        queue.add(pending);
        try {
            return pending.result().get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new RegistryUnavailableException("The heartbeat was not acknowledged by every cluster member within "
                    + Duration.ofNanos(timeoutNanos).toSeconds() + " s; retry.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replicating a heartbeat", e);
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (open) {
            try {
                Pending first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                write(batch);
            } catch (InterruptedException e) {
                return;
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Replicates one batch and answers its callers. Several heartbeats of one key merge into one renewal.
     * The batch is split by the keys' primary owner and each part is one command: Infinispan locks a
     * multi-key command's keys on their primary owners, and on the originator for the whole command, so
     * two members sending commands that span each other's keys could wait on each other; a command
     * whose keys all have one primary owner holds locks on that member only. A part that fails (the
     * topology changed under it) is retried key by key.
     */
    private void write(List<Pending> batch) {
        Map<Object, Map<String, Renewal>> byOwner = new HashMap<>();
        for (Pending p : batch) {
            byOwner.computeIfAbsent(owners.primaryOf(p.key()), o -> new HashMap<>())
                    .merge(p.key(), p.renewal(), Renewal::merge);
        }
        Map<String, Renewal.Renewed> written = new ConcurrentHashMap<>(batch.size() * 2);
        Map<String, RuntimeException> failed = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        try {
            List<CompletableFuture<Void>> others = new ArrayList<>(byOwner.size());
            Map<String, Renewal> own = null;
            for (Map<String, Renewal> part : byOwner.values()) {
                if (own == null) {
                    own = part; // written on this thread: a batch with one owner needs no hand-off
                } else {
                    others.add(CompletableFuture.runAsync(() -> writePart(part, written, failed), partWriters));
                }
            }
            writePart(own, written, failed);
            others.forEach(CompletableFuture::join);
        } catch (RuntimeException e) { // shutting down: the part writers are gone
            batch.forEach(p -> p.result().completeExceptionally(e));
            return;
        } finally {
            replication.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            batchSizes.record(batch.size());
        }
        for (Pending p : batch) {
            RuntimeException error = failed.get(p.key());
            if (error != null) {
                p.result().completeExceptionally(error);
            } else {
                Renewal.Renewed renewed = written.get(p.key());
                p.result().complete(renewed == null ? null : renewed.value());
            }
        }
    }

    /** One owner's share of a batch, run in parallel with the other owners' shares. */
    private void writePart(Map<String, Renewal> part, Map<String, Renewal.Renewed> written,
            Map<String, RuntimeException> failed) {
        try {
            Traversable<Renewal.Renewed> results = map.evalMany(part, Renewal.Apply.INSTANCE);
            results.forEach(r -> written.put(r.key(), r));
        } catch (RuntimeException e) {
            part.forEach((key, renewal) -> renewOne(key, renewal, written, failed));
        }
    }

    private void renewOne(String key, Renewal renewal, Map<String, Renewal.Renewed> written,
            Map<String, RuntimeException> failed) {
        try {
            written.put(key, map.eval(key, renewal, Renewal.Apply.INSTANCE).join());
        } catch (RuntimeException e) {
            failed.put(key, e);
        }
    }

    /** Stops the writer; heartbeats still queued fail rather than wait for their timeout. */
    @Override
    public synchronized void stop() {
        if (!open) {
            return;
        }
        open = false;
        writer.interrupt();
        partWriters.shutdownNow();
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(p -> p.result().completeExceptionally(
                new IllegalStateException("the cluster registry is shutting down")));
    }
}
