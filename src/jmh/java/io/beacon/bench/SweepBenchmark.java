package io.beacon.bench;

import io.beacon.expiry.SweepResult;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One expiry sweep, as the sweeper runs it every second, over 10k and 1M healthy instances. Before
 * each sweep (not measured) the clock moves one second and the batch of instances whose turn it is
 * heartbeats (see {@link BenchRegistry}), so each sweep re-evaluates 1/30 of the instances and finds
 * them all renewed. The time of one sweep is the sweeper's CPU cost per second of registry time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class SweepBenchmark {

    @Param({"10000", "1000000"})
    int instances;

    private BenchRegistry bench;
    private Instant now;

    @Setup(Level.Trial)
    public void load() {
        bench = new BenchRegistry(instances);
        bench.load();
    }

    @Setup(Level.Invocation)
    public void tick() {
        now = bench.tick();
    }

    @TearDown(Level.Trial)
    public void close() {
        bench.close();
    }

    @Benchmark
    public SweepResult sweep() {
        SweepResult result = bench.sweeper.sweep(now);
        if (result.markedStale() + result.evicted() != 0) {
            throw new IllegalStateException("a healthy instance expired: " + result);
        }
        return result;
    }
}
