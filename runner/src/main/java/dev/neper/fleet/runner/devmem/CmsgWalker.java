package dev.neper.fleet.runner.devmem;

import dev.neper.fleet.runner.sys.Sockets;
import dev.neper.fleet.runner.sys.MsgHdr;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reads the control messages of one devmem recvmsg into {@link Fragments}, in stream order, and
 * checks them: no truncation (MSG_CTRUNC loses fragments and their tokens), well-formed cmsgs, only
 * SCM_DEVMEM_LINEAR and SCM_DEVMEM_DMABUF, every DMABUF fragment from this run's binding and inside
 * the dmabuf, LINEAR bytes inside the iovec, and sizes summing to what recvmsg returned. A receive
 * without cmsgs is ordinary data in the iovec. On failure {@link #walk} returns false and
 * {@link #error} says what was wrong; the success path allocates nothing.
 */
public final class CmsgWalker {
    private static final long DEVMEM_CMSG_LEN = MsgHdr.cmsgLen(DevmemAbi.DMABUF_CMSG_SIZE);

    private String error;

    /**
     * @param control       the control buffer
     * @param controlLength msg_controllen as recvmsg left it
     * @param flags         msg_flags as recvmsg left them
     * @param received      recvmsg's return value
     * @param bindingId     the RX binding's id, which every DMABUF fragment must carry
     * @param iovCapacity   the iovec's size: LINEAR bytes must fit in it
     * @param dmabufSize    the dmabuf's size: DMABUF fragments must lie in it
     */
    public boolean walk(MemorySegment control, long controlLength, int flags, long received, int bindingId,
                        long iovCapacity, long dmabufSize, Fragments out) {
        out.clear();
        if ((flags & Sockets.MSG_CTRUNC) != 0) {
            return fail("control messages truncated (MSG_CTRUNC): fragments and their tokens were lost");
        }
        if (controlLength < 0 || controlLength > control.byteSize()) {
            return fail("msg_controllen " + controlLength + " exceeds the control buffer of " + control.byteSize());
        }
        long at = 0;
        long linear = 0;
        long total = 0;
        while (controlLength - at >= MsgHdr.CMSG_HEADER_SIZE) {
            long length = control.get(ValueLayout.JAVA_LONG, at);
            if (length < MsgHdr.CMSG_HEADER_SIZE || length > controlLength - at) {
                return fail("malformed cmsg at control offset " + at + ": cmsg_len " + length + " with "
                        + (controlLength - at) + " bytes left");
            }
            int level = control.get(ValueLayout.JAVA_INT, at + 8);
            int type = control.get(ValueLayout.JAVA_INT, at + 12);
            if (level != DevmemAbi.SOL_SOCKET
                    || (type != DevmemAbi.SCM_DEVMEM_LINEAR && type != DevmemAbi.SCM_DEVMEM_DMABUF)) {
                return fail("unexpected cmsg level " + level + " type " + type + " at control offset " + at);
            }
            if (length < DEVMEM_CMSG_LEN) {
                return fail("devmem cmsg at control offset " + at + " has cmsg_len " + length + ", needs "
                        + DEVMEM_CMSG_LEN);
            }
            long data = at + MsgHdr.CMSG_HEADER_SIZE;
            long size = Integer.toUnsignedLong(control.get(ValueLayout.JAVA_INT, data + 8));
            if (type == DevmemAbi.SCM_DEVMEM_LINEAR) {
                if (linear + size > iovCapacity) {
                    return fail("LINEAR fragments of " + (linear + size) + " bytes overflow the " + iovCapacity
                            + "-byte iovec");
                }
                if (!out.add(Fragments.LINEAR, linear, (int) size, 0)) {
                    return fail("more than " + out.kind.length + " fragments in one receive");
                }
                linear += size;
            } else {
                long offset = control.get(ValueLayout.JAVA_LONG, data);
                int token = control.get(ValueLayout.JAVA_INT, data + 12);
                int id = control.get(ValueLayout.JAVA_INT, data + 16);
                if (id != bindingId) {
                    return fail("fragment of dmabuf binding " + Integer.toUnsignedString(id) + " where this run bound "
                            + bindingId + ": a flow was steered to a queue of another binding");
                }
                if (offset < 0 || offset > dmabufSize - size) {
                    return fail("fragment [" + offset + ", +" + size + ") lies outside the " + dmabufSize
                            + "-byte dmabuf");
                }
                if (!out.add(Fragments.DMABUF, offset, (int) size, token)) {
                    return fail("more than " + out.kind.length + " fragments in one receive");
                }
            }
            total += size;
            at += MsgHdr.cmsgAlign(length);
        }
        if (out.count == 0) {
            if (received > iovCapacity) {
                return fail("recvmsg returned " + received + " bytes without cmsgs, more than the iovec holds");
            }
            out.add(Fragments.LINEAR, 0, (int) received, 0);
            return true;
        }
        if (total != received) {
            return fail("fragments add up to " + total + " bytes but recvmsg returned " + received);
        }
        return true;
    }

    private boolean fail(String message) {
        error = message;
        return false;
    }

    /** What the last failed walk found wrong. */
    public String error() {
        return error;
    }
}
