package dev.neper.fleet.runner.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** The udmabuf and dma-buf ioctl ABI: struct udmabuf_create (24 B) and struct dma_buf_sync (8 B). */
public final class UdmabufStructs {
    public static final long UDMABUF_CREATE = 0x40187542L;
    public static final int UDMABUF_FLAGS_CLOEXEC = 0x01;
    public static final int UDMABUF_CREATE_SIZE = 24;
    public static final long DMA_BUF_IOCTL_SYNC = 0x40086200L;
    public static final long DMA_BUF_SYNC_READ = 1;
    public static final long DMA_BUF_SYNC_WRITE = 2;
    public static final long DMA_BUF_SYNC_START = 0;
    public static final long DMA_BUF_SYNC_END = 4;

    private UdmabufStructs() {
    }

    /** udmabuf_create: memfd u32 at 0, flags u32 at 4, offset u64 at 8, size u64 at 16. */
    public static void create(MemorySegment s, int memfd, int flags, long offset, long size) {
        s.set(ValueLayout.JAVA_INT, 0, memfd);
        s.set(ValueLayout.JAVA_INT, 4, flags);
        s.set(ValueLayout.JAVA_LONG, 8, offset);
        s.set(ValueLayout.JAVA_LONG, 16, size);
    }

    public static void sync(MemorySegment s, long flags) {
        s.set(ValueLayout.JAVA_LONG, 0, flags);
    }
}
