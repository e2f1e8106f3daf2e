package dev.neper.fleet.bench;

import dev.neper.fleet.runner.validate.StreamValidator;
import dev.neper.fleet.runner.validate.ValidationPattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Payload validation: {@link StreamValidator#check} over a received buffer of correct pattern bytes.
 * The buffer sizes are multiples of 111, so every invocation continues the stream where the last one
 * ended and the same buffer stays correct. Operations are bytes: the score is bytes per second
 * (divide by 1e9 for GB/s). Target: 10 GB/s on one core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ValidationBenchmark {
    /** 111 x 3690: about neper's 409600-byte buffer. */
    static final int NEPER_BUFFER = 409_590;
    /** 111 x 9447: about 1 MiB. */
    static final int MIB_BUFFER = 1_048_617;

    private final Arena arena = Arena.ofShared();
    private MemorySegment neperBuffer;
    private MemorySegment mibBuffer;
    private StreamValidator neperValidator;
    private StreamValidator mibValidator;

    @Setup(Level.Trial)
    public void setUp() {
        neperBuffer = arena.allocate(NEPER_BUFFER, 4096);
        ValidationPattern.fill(neperBuffer, 0);
        mibBuffer = arena.allocate(MIB_BUFFER, 4096);
        ValidationPattern.fill(mibBuffer, 0);
        neperValidator = new StreamValidator("bench");
        mibValidator = new StreamValidator("bench");
    }

    @Benchmark
    @OperationsPerInvocation(NEPER_BUFFER)
    public long validateNeperBuffer() {
        neperValidator.check(neperBuffer, 0, NEPER_BUFFER);
        return neperValidator.mismatches();
    }

    @Benchmark
    @OperationsPerInvocation(MIB_BUFFER)
    public long validateMibBuffer() {
        mibValidator.check(mibBuffer, 0, MIB_BUFFER);
        return mibValidator.mismatches();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (neperValidator.mismatches() != 0 || mibValidator.mismatches() != 0) {
            throw new IllegalStateException("correct data was reported as mismatching");
        }
        arena.close();
    }
}
