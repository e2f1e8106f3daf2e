package dev.neper.fleet.bench;

import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.sys.Sockets;
import dev.neper.fleet.runner.sys.SysCallException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * What one recv costs the data path: recv on an empty nonblocking AF_UNIX socket, which the kernel
 * answers with EAGAIN at once, through the runner's libc binding (FFM downcall, errno captured). The
 * C tool pays the same system call without the downcall; compare with a C loop of the same recv on
 * the same machine (docs/runner.md has both).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DowncallBenchmark {
    private int[] pair;
    private MemorySegment buffer;

    @Setup(Level.Trial)
    public void setUp() throws SysCallException {
        pair = Sockets.unixStreamPair();
        // the global scope, as the flows' buffers: no arena to acquire per call
        buffer = Arena.global().allocate(16384, 4096);
    }

    @Benchmark
    public long recv() {
        return Libc.recv(pair[1], buffer, buffer.byteSize(), 0);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Sockets.closeQuietly(pair[0]);
        Sockets.closeQuietly(pair[1]);
    }
}
