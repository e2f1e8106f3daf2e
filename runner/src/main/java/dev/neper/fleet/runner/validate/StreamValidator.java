package dev.neper.fleet.runner.validate;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Checks one flow's received stream against the pattern, in stream order: every byte handed to
 * {@link #check} is compared with the pattern at the flow's running stream offset, which then
 * advances. Mismatches are all counted; the first is kept. The comparison is
 * {@link MemorySegment#mismatch} against the pattern segment (vectorised), not a byte loop. Not
 * thread-safe: one validator per flow, used on the flow's worker thread.
 */
public final class StreamValidator {
    private final String flow;
    private final MemorySegment pattern = ValidationPattern.segment();
    private long position;
    private long mismatches;
    private Mismatch first;

    public StreamValidator(String flow) {
        this.flow = flow;
    }

    /** Validates data[offset, offset + length) as the next stream bytes. */
    public void check(MemorySegment data, long offset, long length) {
        long done = 0;
        while (done < length) {
            long chunk = Math.min(ValidationPattern.SPAN, length - done);
            long from = offset + done;
            long phase = ValidationPattern.phase(position + done);
            long at = MemorySegment.mismatch(data, from, from + chunk, pattern, phase, phase + chunk);
            while (at >= 0) {
                recordMismatch(data, from + at, position + done + at);
                long next = at + 1;
                if (next >= chunk) {
                    break;
                }
                long rest = MemorySegment.mismatch(data, from + next, from + chunk, pattern, phase + next, phase + chunk);
                at = rest < 0 ? -1 : next + rest;
            }
            done += chunk;
        }
        position += length;
    }

    private void recordMismatch(MemorySegment data, long dataOffset, long streamOffset) {
        mismatches++;
        if (first == null) {
            first = new Mismatch(flow, streamOffset, Byte.toUnsignedInt(ValidationPattern.byteAt(streamOffset)),
                    Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, dataOffset)));
        }
    }

    /** Bytes validated so far: the flow's stream offset. */
    public long validatedBytes() {
        return position;
    }

    public long mismatches() {
        return mismatches;
    }

    /** The first mismatch, or null. */
    public Mismatch firstMismatch() {
        return first;
    }

    public String flow() {
        return flow;
    }
}
