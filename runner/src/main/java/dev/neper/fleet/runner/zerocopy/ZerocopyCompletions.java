package dev.neper.fleet.runner.zerocopy;

import dev.neper.fleet.runner.sys.Errno;
import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.sys.MsgHdr;
import dev.neper.fleet.runner.sys.Sockets;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One socket's MSG_ZEROCOPY completions, read from its error queue: the one completion mechanism of
 * every zerocopy send in the runner, host memory (--zerocopy) and devmem TX alike. Each send with
 * MSG_ZEROCOPY that moves data takes the socket's next u32 sequence number (from 0); the kernel
 * reports finished sends as coalesced inclusive ranges [first, last] in sock_extended_err messages of
 * origin SO_EE_ORIGIN_ZEROCOPY, with code SO_EE_CODE_ZEROCOPY_COPIED when it copied the data after
 * all (over loopback, or a device without scatter-gather). Anything else on the error queue is a
 * real socket error: {@link #reap} then fails and {@link #failure} says what it was. The reading path
 * allocates nothing.
 */
public final class ZerocopyCompletions {
    /** Told of each completed range: {@code count} sends from sequence {@code first} (mod 2^32). */
    @FunctionalInterface
    public interface Listener {
        void completed(long first, long count);
    }

    private static final Listener IGNORE = (first, count) -> {
    };
    private static final long CONTROL_SIZE = 256;

    /** Automatic: a shared arena would cost two atomic operations on every recvmsg of the error queue. */
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment msghdr;
    private final MemorySegment control;
    private long sends;
    private long completed;
    private long copied;
    private String failure;

    public ZerocopyCompletions() {
        control = arena.allocate(CONTROL_SIZE, 8);
        msghdr = arena.allocate(MsgHdr.SIZE, 8);
        MsgHdr.msghdr(msghdr, MemorySegment.NULL, 0, control, CONTROL_SIZE);
    }

    /** Counts one send the kernel took with MSG_ZEROCOPY (a positive return): it owes a completion. */
    public void sent() {
        sends++;
    }

    /** Reads the whole error queue, counting completions; false on a socket error or a malformed message. */
    public boolean reap(int fd) {
        return reap(fd, IGNORE);
    }

    /** As {@link #reap(int)}, telling {@code listener} of every completed range. */
    public boolean reap(int fd, Listener listener) {
        while (true) {
            MsgHdr.setControlLength(msghdr, CONTROL_SIZE);
            MsgHdr.clearFlags(msghdr);
            long r = Libc.recvmsg(fd, msghdr, Sockets.MSG_ERRQUEUE | Sockets.MSG_DONTWAIT);
            if (r == -Errno.EAGAIN) {
                return true;
            }
            if (r == -Errno.EINTR) {
                continue;
            }
            if (r < 0) {
                return fail("recvmsg(MSG_ERRQUEUE): " + Errno.describe((int) -r));
            }
            if (!readMessages(MsgHdr.controlLength(msghdr), listener)) {
                return false;
            }
        }
    }

    private boolean readMessages(long controlLength, Listener listener) {
        long at = 0;
        while (controlLength - at >= MsgHdr.CMSG_HEADER_SIZE) {
            long length = control.get(ValueLayout.JAVA_LONG, at);
            if (length < MsgHdr.CMSG_HEADER_SIZE || length > controlLength - at) {
                return fail("malformed error-queue cmsg of length " + length);
            }
            int level = control.get(ValueLayout.JAVA_INT, at + 8);
            int type = control.get(ValueLayout.JAVA_INT, at + 12);
            boolean recvErr = (level == Sockets.SOL_IP && type == Sockets.IP_RECVERR)
                    || (level == Sockets.SOL_IPV6 && type == Sockets.IPV6_RECVERR);
            if (recvErr && length >= MsgHdr.cmsgLen(SockExtendedErr.SIZE)) {
                long ee = at + MsgHdr.CMSG_HEADER_SIZE;
                int origin = Byte.toUnsignedInt(control.get(ValueLayout.JAVA_BYTE, ee + 4));
                if (origin != SockExtendedErr.SO_EE_ORIGIN_ZEROCOPY) {
                    return fail("socket error from the error queue: "
                            + Errno.describe(control.get(ValueLayout.JAVA_INT, ee)) + " (origin " + origin + ")");
                }
                long first = Integer.toUnsignedLong(control.get(ValueLayout.JAVA_INT, ee + 8));
                long last = Integer.toUnsignedLong(control.get(ValueLayout.JAVA_INT, ee + 12));
                long count = ((last - first) & 0xffffffffL) + 1;
                completed += count;
                if ((control.get(ValueLayout.JAVA_BYTE, ee + 6) & SockExtendedErr.SO_EE_CODE_ZEROCOPY_COPIED) != 0) {
                    copied += count;
                }
                listener.completed(first, count);
            }
            at += MsgHdr.cmsgAlign(length);
        }
        return true;
    }

    private boolean fail(String reason) {
        if (failure == null) {
            failure = reason;
        }
        return false;
    }

    /** Sends taken with MSG_ZEROCOPY. */
    public long sends() {
        return sends;
    }

    /** Sends the kernel reported complete. */
    public long completed() {
        return completed;
    }

    /** Completed sends whose data the kernel copied after all. */
    public long copied() {
        return copied;
    }

    /** What ended the reaping, or null. */
    public String failure() {
        return failure;
    }
}
