package dev.neper.fleet.runner.devmem;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The devmem socket ABI on x86-64: constants, struct msghdr (56 B), struct iovec (16 B), cmsghdr
 * (16 B) and its sizing macros, struct dmabuf_cmsg (24 B), struct dmabuf_token (8 B) and
 * struct sock_extended_err (16 B). The kernel's uapi headers here predate devmem, so the values are
 * the ones devmem-api.md records.
 */
public final class DevmemAbi {
    public static final int SOL_SOCKET = 1;
    public static final int SOL_IP = 0;
    public static final int SOL_IPV6 = 41;
    public static final int IP_RECVERR = 11;
    public static final int IPV6_RECVERR = 25;
    public static final int SO_ZEROCOPY = 60;
    public static final int SCM_DEVMEM_LINEAR = 78;
    public static final int SCM_DEVMEM_DMABUF = 79;
    public static final int SO_DEVMEM_DONTNEED = 80;

    public static final int MSG_CTRUNC = 0x8;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_ERRQUEUE = 0x2000;
    /** Kernel-internal (include/linux/socket.h), not in the uapi. */
    public static final int MSG_SOCK_DEVMEM = 0x2000000;
    public static final int MSG_ZEROCOPY = 0x4000000;

    public static final int MSGHDR_SIZE = 56;
    static final int MSG_IOV = 16;
    static final int MSG_IOVLEN = 24;
    static final int MSG_CONTROL = 32;
    static final int MSG_CONTROLLEN = 40;
    static final int MSG_FLAGS = 48;
    public static final int IOVEC_SIZE = 16;
    public static final int CMSG_HEADER_SIZE = 16;
    public static final int DMABUF_CMSG_SIZE = 24;
    public static final int DMABUF_TOKEN_SIZE = 8;
    public static final int SOCK_EXTENDED_ERR_SIZE = 16;
    /** The kernel's limits per SO_DEVMEM_DONTNEED call. */
    public static final int MAX_DONTNEED_TOKENS = 128;
    public static final int MAX_DONTNEED_FRAGS = 1024;

    public static final int SO_EE_ORIGIN_ZEROCOPY = 5;
    public static final int SO_EE_CODE_ZEROCOPY_COPIED = 1;

    private DevmemAbi() {
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

    /** A devmem fragment never crosses a page of the dma-buf (6.18), so none is longer than this. */
    public static final int PAGE = 4096;
    /** TCP's smallest MSS (RFC 9293), for a socket whose MSS cannot be read. */
    public static final int MINIMUM_MSS = 536;

    /**
     * The smallest fragment a link delivers in bulk: one segment's payload (the socket's MSS, e.g.
     * 1448 at MTU 1500 with timestamps), and never more than a page.
     */
    public static int smallestFragment(int mss) {
        return mss > 0 ? Math.min(mss, PAGE) : MINIMUM_MSS;
    }

    /**
     * Control buffer for a devmem recvmsg of up to {@code bytes} arriving in fragments of at least
     * {@code smallestFragment} bytes: a cmsg per fragment, plus two for the partial fragments at either
     * end. Sized for 4 KiB pages instead, a receive at MTU 1500 would stop at about a third of the
     * iovec, since the kernel adds no cmsg that does not fit whole.
     */
    public static long receiveControlSize(long bytes, int smallestFragment) {
        return (bytes / smallestFragment + 2) * cmsgSpace(DMABUF_CMSG_SIZE);
    }

    public static void msghdr(MemorySegment msghdr, MemorySegment iov, long iovCount, MemorySegment control,
                              long controlLength) {
        msghdr.asSlice(0, MSGHDR_SIZE).fill((byte) 0);
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

    /**
     * Writes a devmem receive cmsg (SCM_DEVMEM_LINEAR or SCM_DEVMEM_DMABUF with a dmabuf_cmsg) at
     * {@code at}, as the kernel does; returns where the next cmsg goes. Used to build control buffers
     * in tests and benchmarks.
     */
    public static long dmabufCmsg(MemorySegment control, long at, int type, long fragOffset, int fragSize, int token,
                                  int dmabufId) {
        long data = cmsgHeader(control, at, DMABUF_CMSG_SIZE, SOL_SOCKET, type);
        control.set(ValueLayout.JAVA_LONG, data, fragOffset);
        control.set(ValueLayout.JAVA_INT, data + 8, fragSize);
        control.set(ValueLayout.JAVA_INT, data + 12, token);
        control.set(ValueLayout.JAVA_INT, data + 16, dmabufId);
        control.set(ValueLayout.JAVA_INT, data + 20, 0);
        return at + cmsgSpace(DMABUF_CMSG_SIZE);
    }

    /** The devmem TX cmsg: SOL_SOCKET / SCM_DEVMEM_DMABUF, cmsg_len exactly CMSG_LEN(4), data the u32 binding id. */
    public static long txCmsg(MemorySegment control, int bindingId) {
        control.asSlice(0, cmsgSpace(4)).fill((byte) 0);
        long data = cmsgHeader(control, 0, 4, SOL_SOCKET, SCM_DEVMEM_DMABUF);
        control.set(ValueLayout.JAVA_INT, data, bindingId);
        return cmsgSpace(4);
    }

    public static void dmabufToken(MemorySegment tokens, int index, int start, int count) {
        tokens.set(ValueLayout.JAVA_INT, (long) index * DMABUF_TOKEN_SIZE, start);
        tokens.set(ValueLayout.JAVA_INT, (long) index * DMABUF_TOKEN_SIZE + 4, count);
    }
}
