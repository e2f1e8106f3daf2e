package dev.neper.fleet.runner.validate;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The validation pattern of the neper seed: stream byte p is (p mod 111) + 1, values 1..111, never 0.
 * 111 and a 4 KiB page share no factor, so a page landing at the wrong stream offset shows. One
 * read-only segment holds {@link #SPAN} + 111 pattern bytes: the expected bytes for any stream
 * position are the slice starting at (position mod 111).
 */
public final class ValidationPattern {
    public static final int PERIOD = 111;
    /** The longest stretch compared against the pattern segment in one go. */
    public static final int SPAN = 1 << 20;
    private static final MemorySegment SEGMENT = build(SPAN + PERIOD);

    private ValidationPattern() {
    }

    private static MemorySegment build(int length) {
        MemorySegment s = Arena.global().allocate(length, 64);
        for (int i = 0; i < length; i++) {
            s.set(ValueLayout.JAVA_BYTE, i, byteAt(i));
        }
        return s.asReadOnly();
    }

    public static byte byteAt(long position) {
        return (byte) (Long.remainderUnsigned(position, PERIOD) + 1);
    }

    /** The pattern segment; bytes [phase(p), phase(p) + n) are stream bytes [p, p + n) for n <= SPAN. */
    public static MemorySegment segment() {
        return SEGMENT;
    }

    public static int phase(long position) {
        return (int) Long.remainderUnsigned(position, PERIOD);
    }

    /** Writes the pattern for stream bytes [position, position + destination size) into destination. */
    public static void fill(MemorySegment destination, long position) {
        long size = destination.byteSize();
        long done = 0;
        while (done < size) {
            long chunk = Math.min(SPAN, size - done);
            MemorySegment.copy(SEGMENT, phase(position + done), destination, done, chunk);
            done += chunk;
        }
    }
}
