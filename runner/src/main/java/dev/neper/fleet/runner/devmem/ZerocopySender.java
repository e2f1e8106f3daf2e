package dev.neper.fleet.runner.devmem;

import dev.neper.fleet.runner.engine.FlowIo;
import dev.neper.fleet.runner.memory.PayloadMemory;
import dev.neper.fleet.runner.memory.Sizes;
import dev.neper.fleet.runner.sys.Errno;
import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.sys.MsgHdr;
import dev.neper.fleet.runner.sys.Sockets;
import dev.neper.fleet.runner.validate.ValidationPattern;
import dev.neper.fleet.runner.zerocopy.ZerocopyCompletions;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One flow's zerocopy send from payload memory: devmem TX (sendmsg with MSG_ZEROCOPY, the
 * SCM_DEVMEM_DMABUF cmsg carrying the TX binding id, iov_base a dmabuf offset), or, with binding id
 * 0, ordinary MSG_ZEROCOPY from host memory. The flow's region of the memory is a ring of slots of
 * buffer_size + 111 bytes (page-rounded), each holding the pattern from phase 0, so a send from
 * slot start + (stream position mod 111) carries the pattern at any position. Each sendmsg takes the
 * next slot, which stays busy until {@link ZerocopyCompletions} reads its completion from the error
 * queue: a range is reused only after its completion.
 */
public final class ZerocopySender implements FlowIo {
    public static final int SLOTS = 16;
    private static final long FREE = -1;

    private final Arena arena = Arena.ofShared();
    private final PayloadMemory memory;
    private final long regionOffset;
    private final long slotSize;
    private final int bufferSize;
    private final MemorySegment msghdr;
    private final MemorySegment iov;
    private final ZerocopyCompletions completions = new ZerocopyCompletions();
    private final ZerocopyCompletions.Listener freeSlots = this::free;
    private final long[] slotSequence = new long[SLOTS];
    private final DevmemCounters counters;
    private int nextSlot;
    private long nextSequence;
    private long sent;
    private volatile String failure;

    public ZerocopySender(PayloadMemory memory, long regionOffset, int bufferSize, int bindingId, boolean pattern,
                          DevmemCounters counters) throws IOException {
        this.memory = memory;
        this.regionOffset = regionOffset;
        this.bufferSize = bufferSize;
        this.slotSize = slotSize(bufferSize);
        this.counters = counters;
        java.util.Arrays.fill(slotSequence, FREE);
        if (regionOffset < 0 || regionOffset + regionSize(bufferSize) > memory.size()) {
            throw new IOException("a send region of " + Sizes.format(regionSize(bufferSize)) + " at " + regionOffset
                    + " does not fit in " + memory.description());
        }
        if (pattern) {
            for (int slot = 0; slot < SLOTS; slot++) {
                memory.fillPattern(slotOffset(slot), slotSize, 0);
            }
        }
        iov = arena.allocate(MsgHdr.IOVEC_SIZE, 8);
        msghdr = arena.allocate(MsgHdr.SIZE, 8);
        if (bindingId != 0) {
            MemorySegment control = arena.allocate(MsgHdr.cmsgSpace(4), 8);
            DevmemAbi.txCmsg(control, bindingId);
            MsgHdr.msghdr(msghdr, iov, 1, control, control.byteSize());
        } else {
            MsgHdr.msghdr(msghdr, iov, 1, MemorySegment.NULL, 0);
        }
    }

    public static long slotSize(int bufferSize) {
        return Sizes.roundUp(bufferSize + ValidationPattern.PERIOD, Sizes.PAGE);
    }

    /** Bytes of payload memory one sending flow needs. */
    public static long regionSize(int bufferSize) {
        return SLOTS * slotSize(bufferSize);
    }

    private long slotOffset(int slot) {
        return regionOffset + slot * slotSize;
    }

    @Override
    public long receive(int fd) {
        return -Errno.EAGAIN;
    }

    @Override
    public long send(int fd, int flags) {
        if (slotSequence[nextSlot] != FREE) {
            if (!reapErrorQueue(fd)) {
                return -DevmemReceiver.EPROTO;
            }
            if (slotSequence[nextSlot] != FREE) {
                return -Errno.EAGAIN;
            }
        }
        MsgHdr.iovec(iov, 0, memory.sendBase(slotOffset(nextSlot) + ValidationPattern.phase(sent)), bufferSize);
        long n = Libc.sendmsg(fd, msghdr, flags | Sockets.MSG_ZEROCOPY);
        if (n > 0) {
            completions.sent();
            slotSequence[nextSlot] = nextSequence;
            nextSequence = (nextSequence + 1) & 0xffffffffL;
            nextSlot = (nextSlot + 1) % SLOTS;
            sent += n;
            counters.zerocopySends++;
        }
        return n;
    }


    /**
     * Reads the error queue: completions free their slots; anything else is a real socket error,
     * which ends the flow.
     */
    @Override
    public boolean reapErrorQueue(int fd) {
        long copiedBefore = completions.copied();
        boolean ok = completions.reap(fd, freeSlots);
        counters.copiedSends += completions.copied() - copiedBefore;
        if (!ok && failure == null) {
            failure = completions.failure();
        }
        return ok;
    }

    /** Frees the slots whose sends fall in the u32 range of {@code count} from {@code first} (it may wrap). */
    private void free(long first, long count) {
        counters.completedSends += count;
        for (int slot = 0; slot < SLOTS; slot++) {
            long sequence = slotSequence[slot];
            if (sequence != FREE && ((sequence - first) & 0xffffffffL) < count) {
                slotSequence[slot] = FREE;
            }
        }
    }

    /** Sends not yet completed. */
    public int busySlots() {
        int busy = 0;
        for (long s : slotSequence) {
            if (s != FREE) {
                busy++;
            }
        }
        return busy;
    }

    public String failure() {
        return failure;
    }

    @Override
    public void close() {
        arena.close();
    }
}
