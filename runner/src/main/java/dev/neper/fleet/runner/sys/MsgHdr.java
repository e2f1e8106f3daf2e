package dev.neper.fleet.runner.sys;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * struct msghdr (56 B), struct iovec (16 B) and struct cmsghdr (16 B) on x86-64, with the CMSG_*
 * sizing macros, for sendmsg and recvmsg: msg_name 0, msg_namelen 8, msg_iov 16, msg_iovlen 24,
 * msg_control 32, msg_controllen 40, msg_flags 48; cmsg_len (u64) 0, cmsg_level 8, cmsg_type 12.
 */
public final class MsgHdr {
    public static final int SIZE = 56;
    static final int MSG_IOV = 16;
    static final int MSG_IOVLEN = 24;
    static final int MSG_CONTROL = 32;
    static final int MSG_CONTROLLEN = 40;
    static final int MSG_FLAGS = 48;
    public static final int IOVEC_SIZE = 16;
    public static final int CMSG_HEADER_SIZE = 16;

    private MsgHdr() {
    }

    public static long cmsgAlign(long length) {
        return (length + 7) & ~7L;
    }

    public static long cmsgLen(long dataLength) {
        return CMSG_HEADER_SIZE + dataLength;
    }

    public static long cmsgSpace(long dataLength) {
        return CMSG_HEADER_SIZE + cmsgAlign(dataLength);
    }

    public static void msghdr(MemorySegment msghdr, MemorySegment iov, long iovCount, MemorySegment control,
                              long controlLength) {
        msghdr.asSlice(0, SIZE).fill((byte) 0);
        msghdr.set(ValueLayout.ADDRESS, MSG_IOV, iov);
        msghdr.set(ValueLayout.JAVA_LONG, MSG_IOVLEN, iovCount);
        msghdr.set(ValueLayout.ADDRESS, MSG_CONTROL, control);
        msghdr.set(ValueLayout.JAVA_LONG, MSG_CONTROLLEN, controlLength);
    }

    public static void setControlLength(MemorySegment msghdr, long length) {
        msghdr.set(ValueLayout.JAVA_LONG, MSG_CONTROLLEN, length);
    }

    public static long controlLength(MemorySegment msghdr) {
        return msghdr.get(ValueLayout.JAVA_LONG, MSG_CONTROLLEN);
    }

    public static int flags(MemorySegment msghdr) {
        return msghdr.get(ValueLayout.JAVA_INT, MSG_FLAGS);
    }

    public static void clearFlags(MemorySegment msghdr) {
        msghdr.set(ValueLayout.JAVA_INT, MSG_FLAGS, 0);
    }

    public static void iovec(MemorySegment iov, int index, long base, long length) {
        iov.set(ValueLayout.JAVA_LONG, (long) index * IOVEC_SIZE, base);
        iov.set(ValueLayout.JAVA_LONG, (long) index * IOVEC_SIZE + 8, length);
    }

    /** Writes a cmsg header at {@code at}; returns where its data starts. */
    public static long cmsgHeader(MemorySegment control, long at, long dataLength, int level, int type) {
        control.set(ValueLayout.JAVA_LONG, at, cmsgLen(dataLength));
        control.set(ValueLayout.JAVA_INT, at + 8, level);
        control.set(ValueLayout.JAVA_INT, at + 12, type);
        return at + CMSG_HEADER_SIZE;
    }
}
