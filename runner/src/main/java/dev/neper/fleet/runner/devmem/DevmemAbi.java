package dev.neper.fleet.runner.devmem;

import dev.neper.fleet.runner.sys.MsgHdr;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The devmem socket ABI on x86-64: constants, struct dmabuf_cmsg (24 B) and struct dmabuf_token
 * (8 B), over the generic msghdr and cmsg layouts of {@link MsgHdr}. The kernel's uapi headers here
 * predate devmem, so the values are the ones devmem-api.md records.
 */
public final class DevmemAbi {
    public static final int SOL_SOCKET = 1;
    public static final int SCM_DEVMEM_LINEAR = 78;
    public static final int SCM_DEVMEM_DMABUF = 79;
    public static final int SO_DEVMEM_DONTNEED = 80;

    /** Kernel-internal (include/linux/socket.h), not in the uapi. */
    public static final int MSG_SOCK_DEVMEM = 0x2000000;

    public static final int DMABUF_CMSG_SIZE = 24;
    public static final int DMABUF_TOKEN_SIZE = 8;
    /** The kernel's limits per SO_DEVMEM_DONTNEED call. */
    public static final int MAX_DONTNEED_TOKENS = 128;
    public static final int MAX_DONTNEED_FRAGS = 1024;
    /** A devmem fragment never crosses a page of the dma-buf (6.18), so none is longer than this. */
    public static final int PAGE = 4096;
    /** TCP's smallest MSS (RFC 9293), for a socket whose MSS cannot be read. */
    public static final int MINIMUM_MSS = 536;

    private DevmemAbi() {
    }

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
        return (bytes / smallestFragment + 2) * MsgHdr.cmsgSpace(DMABUF_CMSG_SIZE);
    }

    /**
     * Writes a devmem receive cmsg (SCM_DEVMEM_LINEAR or SCM_DEVMEM_DMABUF with a dmabuf_cmsg) at
     * {@code at}, as the kernel does; returns where the next cmsg goes. Used to build control buffers
     * in tests and benchmarks.
     */
    public static long dmabufCmsg(MemorySegment control, long at, int type, long fragOffset, int fragSize, int token,
                                  int dmabufId) {
        long data = MsgHdr.cmsgHeader(control, at, DMABUF_CMSG_SIZE, SOL_SOCKET, type);
        control.set(ValueLayout.JAVA_LONG, data, fragOffset);
        control.set(ValueLayout.JAVA_INT, data + 8, fragSize);
        control.set(ValueLayout.JAVA_INT, data + 12, token);
        control.set(ValueLayout.JAVA_INT, data + 16, dmabufId);
        control.set(ValueLayout.JAVA_INT, data + 20, 0);
        return at + MsgHdr.cmsgSpace(DMABUF_CMSG_SIZE);
    }

    /** The devmem TX cmsg: SOL_SOCKET / SCM_DEVMEM_DMABUF, cmsg_len exactly CMSG_LEN(4), data the u32 binding id. */
    public static long txCmsg(MemorySegment control, int bindingId) {
        control.asSlice(0, MsgHdr.cmsgSpace(4)).fill((byte) 0);
        long data = MsgHdr.cmsgHeader(control, 0, 4, SOL_SOCKET, SCM_DEVMEM_DMABUF);
        control.set(ValueLayout.JAVA_INT, data, bindingId);
        return MsgHdr.cmsgSpace(4);
    }

    public static void dmabufToken(MemorySegment tokens, int index, int start, int count) {
        tokens.set(ValueLayout.JAVA_INT, (long) index * DMABUF_TOKEN_SIZE, start);
        tokens.set(ValueLayout.JAVA_INT, (long) index * DMABUF_TOKEN_SIZE + 4, count);
    }
}
