package dev.neper.fleet.runner.devmem;

import dev.neper.fleet.runner.sys.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Gives DMABUF fragments back to the kernel with SO_DEVMEM_DONTNEED, in batches within its limits:
 * at most 128 dmabuf_token ranges and at most 1024 fragments per call (the kernel stops early, without
 * an error, past 1024). Consecutive tokens share one range. The kernel returns how many fragments it
 * freed; anything short of what was handed over is an error (those pages stay pinned until the
 * socket closes, and the page pool runs dry). No allocation.
 */
public final class TokenReleaser {
    /** The call that hands a batch to the kernel; returns fragments freed or -errno. */
    @FunctionalInterface
    public interface Sink {
        long release(int fd, MemorySegment tokens, int ranges);
    }

    /** SO_DEVMEM_DONTNEED through libc, so its return value (the count freed) is seen. */
    public static final Sink DONTNEED = (fd, tokens, ranges) -> Libc.setsockopt(fd, DevmemAbi.SOL_SOCKET,
            DevmemAbi.SO_DEVMEM_DONTNEED, tokens, ranges * DevmemAbi.DMABUF_TOKEN_SIZE);

    private final MemorySegment tokens;
    private final Sink sink;
    private int ranges;
    private int pending;
    private int lastStart;
    private int lastCount;
    private long released;
    private String error;

    public TokenReleaser(Arena arena, Sink sink) {
        this.tokens = arena.allocate((long) DevmemAbi.MAX_DONTNEED_TOKENS * DevmemAbi.DMABUF_TOKEN_SIZE, 8);
        this.sink = sink;
    }

    /** Adds one fragment's token, flushing first when a limit would be passed; false on a failed flush. */
    public boolean add(int fd, int token) {
        if (ranges > 0 && token == lastStart + lastCount) {
            lastCount++;
            DevmemAbi.dmabufToken(tokens, ranges - 1, lastStart, lastCount);
        } else {
            if (ranges == DevmemAbi.MAX_DONTNEED_TOKENS && !flush(fd)) {
                return false;
            }
            lastStart = token;
            lastCount = 1;
            DevmemAbi.dmabufToken(tokens, ranges++, lastStart, lastCount);
        }
        pending++;
        return pending < DevmemAbi.MAX_DONTNEED_FRAGS || flush(fd);
    }

    /** Hands the batch to the kernel; false (with {@link #error}) when the call failed or freed too few. */
    public boolean flush(int fd) {
        if (ranges == 0) {
            return true;
        }
        long freed = sink.release(fd, tokens, ranges);
        int expected = pending;
        ranges = 0;
        pending = 0;
        if (freed < 0) {
            error = "SO_DEVMEM_DONTNEED failed: " + dev.neper.fleet.runner.sys.Errno.describe((int) -freed);
            return false;
        }
        released += freed;
        if (freed != expected) {
            error = "SO_DEVMEM_DONTNEED freed " + freed + " of " + expected + " fragments";
            return false;
        }
        return true;
    }

    public long released() {
        return released;
    }

    public String error() {
        return error;
    }
}
