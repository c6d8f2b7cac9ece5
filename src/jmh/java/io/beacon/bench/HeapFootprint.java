package io.beacon.bench;

import io.beacon.expiry.SweepResult;
import io.beacon.registry.InstanceStatus;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Instant;

/**
 * Loads {@code instances} (default 1,000,000: 100k services x 10) into the in-memory registry, reports
 * the heap they hold after a full GC, then the expiry sweeper's CPU with every instance healthy: the
 * thread CPU time of {@code sweep()} over {@code seconds} simulated seconds (default 60), each second
 * preceded by the heartbeats of that second's batch (see {@link BenchRegistry}). The sweeper runs once a
 * second in the server, so CPU time per simulated second is the share of one core it needs.
 *
 * <p>Usage: {@code java -Xmx4g -cp ... io.beacon.bench.HeapFootprint [instances] [seconds]}
 */
public final class HeapFootprint {

    private HeapFootprint() {
    }

    public static void main(String[] args) {
        int instances = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        if (instances < BenchRegistry.BATCHES || seconds < 1) {
            throw new IllegalArgumentException("usage: HeapFootprint [instances >= 30] [seconds >= 1]");
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        long baseline = heapAfterFullGc(memory);
        long started = System.nanoTime();
        try (BenchRegistry bench = new BenchRegistry(instances)) {
            long setup = heapAfterFullGc(memory);
            bench.load();
            double loadSeconds = (System.nanoTime() - started) / 1e9;
            long loaded = heapAfterFullGc(memory);
            long held = loaded - setup;
            System.out.printf("instances: %,d in %,d services, loaded in %.1f s%n", bench.registry.size(),
                    bench.services(), loadSeconds);
            System.out.printf("heap used after full GC: %.1f MiB total (%.1f MiB before the registry, "
                            + "%.1f MiB with the empty registry and its key tables)%n",
                    mib(loaded), mib(baseline), mib(setup));
            System.out.printf("heap held by the registry's instances: %.1f MiB (%.0f bytes per instance)%n",
                    mib(held), (double) held / instances);

            // one full lease period of ticks first, so the deadline queue is in its steady state
            for (int i = 0; i < BenchRegistry.BATCHES; i++) {
                requireHealthy(bench.sweeper.sweep(bench.tick()));
            }
            long cpu = 0;
            long examined = 0;
            long maxSweep = 0;
            for (int i = 0; i < seconds; i++) {
                Instant now = bench.tick();
                long before = threads.getCurrentThreadCpuTime();
                SweepResult result = bench.sweeper.sweep(now);
                long spent = threads.getCurrentThreadCpuTime() - before;
                cpu += spent;
                maxSweep = Math.max(maxSweep, spent);
                examined += result.examined();
                requireHealthy(result);
            }
            long stale = bench.registry.instances().filter(i -> i.status() != InstanceStatus.UP).count();
            double share = cpu / 1e9 / seconds;
            System.out.printf("sweeper over %d simulated seconds: %.1f ms CPU per second = %.2f %% of one core; "
                            + "%,d instances examined per sweep; slowest sweep %.1f ms; instances not UP: %d%n",
                    seconds, cpu / 1e6 / seconds, share * 100, examined / seconds, maxSweep / 1e6, stale);
        }
    }

    private static void requireHealthy(SweepResult result) {
        if (result.markedStale() + result.evicted() != 0) {
            throw new IllegalStateException("a healthy instance expired: " + result);
        }
    }

    private static long heapAfterFullGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static double mib(long bytes) {
        return bytes / 1024.0 / 1024.0;
    }
}
