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
 * What one recv costs the data path beyond the system call: recv on an empty nonblocking AF_UNIX
 * socket (the kernel answers EAGAIN at once, so the score is mostly the call's own overhead), through
 * the ordinary downcall (thread-state transitions around the call) and the critical one the flows use.
 * The C tool pays the system call alone; compare with a C loop of the same recv on the same machine.
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

    @Benchmark
    public long recvNonBlocking() {
        return Libc.recvNonBlocking(pair[1], buffer, buffer.byteSize(), 0);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Sockets.closeQuietly(pair[0]);
        Sockets.closeQuietly(pair[1]);
    }
}
