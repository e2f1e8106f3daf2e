package dev.neper.fleet.bench;

import dev.neper.fleet.runner.devmem.DevmemAbi;
import dev.neper.fleet.runner.devmem.DevmemCounters;
import dev.neper.fleet.runner.devmem.DevmemReceiver;
import dev.neper.fleet.runner.devmem.TokenReleaser;
import dev.neper.fleet.runner.memory.HostMemory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The devmem receive hot path after recvmsg returns: the cmsg walk, the checks, the counters and the
 * token batching (the SO_DEVMEM_DONTNEED call itself replaced by a sink that frees what it is given,
 * as the kernel does). One invocation processes one recvmsg's control buffer of {@link #FRAGMENTS}
 * 4 KiB DMABUF fragments (a 409600-byte buffer_size), so the score is fragments per second.
 * Target: 25 million fragments/s on one core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RxHotPathBenchmark {
    static final int FRAGMENTS = 100;
    static final int BINDING = 1;

    /** consecutive: tokens coalesce into one range; scattered: one dmabuf_token range per fragment. */
    @Param({"consecutive", "scattered"})
    public String tokens;

    private HostMemory dmabuf;
    private DevmemReceiver receiver;
    private long controlLength;
    private long frees;

    @Setup(Level.Trial)
    public void setUp() {
        dmabuf = new HostMemory(64L << 20);
        TokenReleaser.Sink sink = (fd, tokenArray, ranges) -> {
            long freed = 0;
            for (int i = 0; i < ranges; i++) {
                freed += tokenArray.get(ValueLayout.JAVA_INT, i * 8L + 4);
            }
            frees += freed;
            return freed;
        };
        receiver = new DevmemReceiver(dmabuf, BINDING, FRAGMENTS * 4096, DevmemAbi.PAGE, null, false, sink,
                new DevmemCounters());
        MemorySegment control = receiver.control();
        long at = 0;
        for (int i = 0; i < FRAGMENTS; i++) {
            int token = tokens.equals("consecutive") ? 1 + i : 1 + 3 * i;
            at = DevmemAbi.dmabufCmsg(control, at, DevmemAbi.SCM_DEVMEM_DMABUF, (long) (i * 7 % 16000) * 4096, 4096,
                    token, BINDING);
        }
        controlLength = at;
    }

    @Benchmark
    @OperationsPerInvocation(FRAGMENTS)
    public long processReceive() {
        return receiver.process(-1, FRAGMENTS * 4096L, controlLength, 0);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (receiver.failure() != null) {
            throw new IllegalStateException("the benchmark's receive failed: " + receiver.failure());
        }
        if (frees == 0) {
            throw new IllegalStateException("no tokens were handed back");
        }
        receiver.close();
        dmabuf.close();
    }
}
