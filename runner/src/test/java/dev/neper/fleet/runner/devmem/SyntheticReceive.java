package dev.neper.fleet.runner.devmem;

import dev.neper.fleet.runner.memory.HostMemory;
import dev.neper.fleet.runner.validate.StreamValidator;
import dev.neper.fleet.runner.validate.ValidationPattern;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds what a devmem recvmsg leaves behind, without a devmem NIC: a "dmabuf" of host memory, the
 * LINEAR bytes in the receiver's iovec and the cmsgs in its control buffer, exactly as the kernel lays
 * them out; then runs the receiver's processing on it. The token sink records what would be handed
 * back with SO_DEVMEM_DONTNEED and frees all of it, as the kernel does for tokens it knows.
 */
final class SyntheticReceive implements TokenReleaser.Sink {
    static final int BINDING = 3;

    final HostMemory dmabuf = new HostMemory(1 << 20);
    final DevmemCounters counters = new DevmemCounters();
    final StreamValidator validator = new StreamValidator("0/0");
    final DevmemReceiver receiver;
    final List<int[]> releasedRanges = new ArrayList<>();
    private long controlAt;
    private long linearAt;
    private long received;
    private int flags;

    /** A receiver on a link of 4 KiB fragments. */
    SyntheticReceive(int bufferSize) {
        this(bufferSize, DevmemAbi.PAGE);
    }

    SyntheticReceive(int bufferSize, int mss) {
        receiver = new DevmemReceiver(dmabuf, BINDING, bufferSize, DevmemAbi.smallestFragment(mss), validator, true,
                this, counters);
    }

    @Override
    public long release(int fd, MemorySegment tokens, int ranges) {
        long frags = 0;
        for (int i = 0; i < ranges; i++) {
            int start = tokens.get(ValueLayout.JAVA_INT, i * 8L);
            int count = tokens.get(ValueLayout.JAVA_INT, i * 8L + 4);
            releasedRanges.add(new int[] {start, count});
            frags += count;
        }
        return frags;
    }

    /** Stream bytes [stream, stream + size) arrived in device memory at dmabufOffset (pattern written there). */
    SyntheticReceive dmabuf(long dmabufOffset, int size, long stream, int token) {
        ValidationPattern.fill(dmabuf.segment().asSlice(dmabufOffset, size), stream);
        return dmabufAs(dmabufOffset, size, token, BINDING);
    }

    /** A DMABUF cmsg only: the device memory holds whatever is there. */
    SyntheticReceive dmabufAs(long dmabufOffset, int size, int token, int bindingId) {
        controlAt = DevmemAbi.dmabufCmsg(receiver.control(), controlAt, DevmemAbi.SCM_DEVMEM_DMABUF, dmabufOffset,
                size, token, bindingId);
        received += size;
        return this;
    }

    /** Stream bytes [stream, stream + size) arrived in host memory (header-split fallback). */
    SyntheticReceive linear(int size, long stream) {
        ValidationPattern.fill(receiver.iovBuffer().asSlice(linearAt, size), stream);
        linearAt += size;
        controlAt = DevmemAbi.dmabufCmsg(receiver.control(), controlAt, DevmemAbi.SCM_DEVMEM_LINEAR, 0, size, 0, 0);
        received += size;
        return this;
    }

    SyntheticReceive flags(int msgFlags) {
        flags = msgFlags;
        return this;
    }

    SyntheticReceive returned(long bytes) {
        received = bytes;
        return this;
    }

    long process() {
        long r = receiver.process(-1, received, controlAt, flags);
        controlAt = 0;
        linearAt = 0;
        received = 0;
        flags = 0;
        return r;
    }
}
