package dev.neper.fleet.runner.engine;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.neper.fleet.runner.memory.Sizes;
import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.sys.SysCallException;

/**
 * A send buffer whose bytes are one span repeated to its end, made by mapping the span's pages (a
 * memfd) again and again over one reserved range. It reads as a buffer filled by copying the span
 * would, and a send copies from it the same way, but however large it is, it costs the span's memory
 * and the span's first touch: filling 2 GB send buffers of private memory on two threads took 10 to
 * 20 s of system time on a virtual machine (a million page faults, each first touch of guest memory
 * paid on the host), long enough under load for the server to give up on the client before its first
 * byte. The repeats are mapped read-only and populated at once, so no send faults them in the run.
 */
final class RepeatingMapping {
    /** Writes the span's bytes, once. */
    interface SpanFill {
        void fill(MemorySegment span) throws IOException;
    }

    private RepeatingMapping() {
    }

    /**
     * Maps {@code size} bytes whose first {@code span} bytes (a multiple of the page size; less when the
     * buffer is smaller) {@code fill} writes, repeated to the end. One munmap of the returned segment
     * releases every part of it.
     */
    @SuppressWarnings("restricted")
    static MemorySegment map(long size, long span, SpanFill fill) throws IOException {
        if (span <= 0 || span % Sizes.PAGE != 0) {
            throw new IllegalArgumentException("a span of " + span + " bytes is not a whole number of pages");
        }
        long range = Sizes.roundUp(size, Sizes.PAGE);
        long spanBytes = Math.min(span, range);
        long base = SysCallException.check("mmap(" + range + " bytes, reserved for a send buffer)",
                Libc.mmap(range, Libc.PROT_NONE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_NORESERVE, -1, 0));
        int memfd = -1;
        try (Arena arena = Arena.ofConfined()) {
            memfd = SysCallException.check("memfd_create(send buffer)",
                    Libc.memfdCreate(arena.allocateFrom("neper-runner-send-buffer"), Libc.MFD_CLOEXEC));
            SysCallException.check("ftruncate(send buffer memfd, " + spanBytes + ")", Libc.ftruncate(memfd, spanBytes));
            mapSpan(base, spanBytes, Libc.PROT_READ | Libc.PROT_WRITE, 0, memfd);
            fill.fill(MemorySegment.ofAddress(base).reinterpret(spanBytes));
            for (long offset = spanBytes; offset < range; offset += spanBytes) {
                mapSpan(base + offset, Math.min(spanBytes, range - offset), Libc.PROT_READ, Libc.MAP_POPULATE, memfd);
            }
        } catch (IOException | RuntimeException e) {
            Libc.munmap(base, range);
            throw e;
        } finally {
            if (memfd >= 0) {
                Libc.close(memfd);
            }
        }
        return MemorySegment.ofAddress(base).reinterpret(size);
    }

    private static void mapSpan(long address, long length, int protection, int flags, int memfd) throws SysCallException {
        SysCallException.check("mmap(" + length + " bytes of the send buffer's span, fixed)",
                Libc.mmap(address, length, protection, Libc.MAP_SHARED | Libc.MAP_FIXED | flags, memfd, 0));
    }
}
