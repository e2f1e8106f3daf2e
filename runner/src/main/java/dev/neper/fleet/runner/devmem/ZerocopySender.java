package dev.neper.fleet.runner.devmem;

import dev.neper.fleet.runner.engine.FlowIo;
import dev.neper.fleet.runner.memory.PayloadMemory;
import dev.neper.fleet.runner.memory.Sizes;
import dev.neper.fleet.runner.sys.Errno;
import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.validate.ValidationPattern;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One flow's zerocopy send from payload memory: devmem TX (sendmsg with MSG_ZEROCOPY, the
 * SCM_DEVMEM_DMABUF cmsg carrying the TX binding id, iov_base a dmabuf offset), or, with binding id
 * 0, ordinary MSG_ZEROCOPY from host memory. The flow's region of the memory is a ring of slots of
 * buffer_size + 111 bytes (page-rounded), each holding the pattern from phase 0, so a send from
 * slot start + (stream position mod 111) carries the pattern at any position. Each sendmsg takes the
 * next slot, which stays busy until the kernel reports the send complete on the error queue: a range
 * is reused only after its completion. Completions are coalesced u32 ranges [first, last].
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
    private final MemorySegment errorMsghdr;
    private final MemorySegment errorControl;
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
        iov = arena.allocate(DevmemAbi.IOVEC_SIZE, 8);
        msghdr = arena.allocate(DevmemAbi.MSGHDR_SIZE, 8);
        if (bindingId != 0) {
            MemorySegment control = arena.allocate(DevmemAbi.cmsgSpace(4), 8);
            DevmemAbi.txCmsg(control, bindingId);
            DevmemAbi.msghdr(msghdr, iov, 1, control, control.byteSize());
        } else {
            DevmemAbi.msghdr(msghdr, iov, 1, MemorySegment.NULL, 0);
        }
        errorControl = arena.allocate(256, 8);
        errorMsghdr = arena.allocate(DevmemAbi.MSGHDR_SIZE, 8);
        DevmemAbi.msghdr(errorMsghdr, MemorySegment.NULL, 0, errorControl, errorControl.byteSize());
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
        DevmemAbi.iovec(iov, 0, memory.sendBase(slotOffset(nextSlot) + ValidationPattern.phase(sent)), bufferSize);
        long n = Libc.sendmsg(fd, msghdr, flags | DevmemAbi.MSG_ZEROCOPY);
        if (n > 0) {
            slotSequence[nextSlot] = nextSequence;
            nextSequence = (nextSequence + 1) & 0xffffffffL;
            nextSlot = (nextSlot + 1) % SLOTS;
            sent += n;
            counters.zerocopySends++;
        }
        return n;
    }


    /**
     * Reads every message on the error queue: zerocopy completions free their slots; anything else is a
     * real socket error, which ends the flow.
     */
    @Override
    public boolean reapErrorQueue(int fd) {
        while (true) {
            DevmemAbi.setControlLength(errorMsghdr, errorControl.byteSize());
            DevmemAbi.clearFlags(errorMsghdr);
            long r = Libc.recvmsg(fd, errorMsghdr, DevmemAbi.MSG_ERRQUEUE | DevmemAbi.MSG_DONTWAIT);
            if (r == -Errno.EAGAIN) {
                return true;
            }
            if (r < 0) {
                return fail("recvmsg(MSG_ERRQUEUE): " + Errno.describe((int) -r));
            }
            if (!completions(DevmemAbi.controlLength(errorMsghdr))) {
                return false;
            }
        }
    }

    private boolean completions(long controlLength) {
        long at = 0;
        while (controlLength - at >= DevmemAbi.CMSG_HEADER_SIZE) {
            long length = errorControl.get(ValueLayout.JAVA_LONG, at);
            if (length < DevmemAbi.CMSG_HEADER_SIZE || length > controlLength - at) {
                return fail("malformed error-queue cmsg of length " + length);
            }
            int level = errorControl.get(ValueLayout.JAVA_INT, at + 8);
            int type = errorControl.get(ValueLayout.JAVA_INT, at + 12);
            boolean recvErr = (level == DevmemAbi.SOL_IP && type == DevmemAbi.IP_RECVERR)
                    || (level == DevmemAbi.SOL_IPV6 && type == DevmemAbi.IPV6_RECVERR);
            if (recvErr && length >= DevmemAbi.cmsgLen(DevmemAbi.SOCK_EXTENDED_ERR_SIZE)) {
                SockExtendedErr ee = SockExtendedErr.read(errorControl, at + DevmemAbi.CMSG_HEADER_SIZE);
                if (ee.origin() != DevmemAbi.SO_EE_ORIGIN_ZEROCOPY) {
                    return fail("socket error from the error queue: " + Errno.describe(ee.errno()) + " (origin "
                            + ee.origin() + ")");
                }
                complete(ee.first(), ee.last(), ee.code());
            }
            at += DevmemAbi.cmsgAlign(length);
        }
        return true;
    }

    /** Frees the slots whose sends fall in the inclusive u32 range [first, last] (it may wrap). */
    private void complete(long first, long last, int code) {
        long count = ((last - first) & 0xffffffffL) + 1;
        counters.completedSends += count;
        if ((code & DevmemAbi.SO_EE_CODE_ZEROCOPY_COPIED) != 0) {
            counters.copiedSends += count;
        }
        for (int slot = 0; slot < SLOTS; slot++) {
            long sequence = slotSequence[slot];
            if (sequence != FREE && ((sequence - first) & 0xffffffffL) < count) {
                slotSequence[slot] = FREE;
            }
        }
    }

    private boolean fail(String reason) {
        if (failure == null) {
            failure = reason;
        }
        return false;
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
