package dev.neper.fleet.runner.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Page-aligned host memory behind the payload-memory interface, without a dmabuf: zerocopy sends from
 * ordinary memory, as the devmem tests use it. Host mode does not allocate here: its buffers come from
 * the engine's HostFlowIoFactory.
 */
public final class HostMemory implements PayloadMemory {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment segment;

    public HostMemory(long size) {
        this.segment = arena.allocate(size, 4096);
    }

    public MemorySegment segment() {
        return segment;
    }

    @Override
    public String description() {
        return "host memory of " + Sizes.format(segment.byteSize());
    }

    @Override
    public long size() {
        return segment.byteSize();
    }

    @Override
    public int dmabufFd() {
        return -1;
    }

    @Override
    public long sendBase(long offset) {
        return segment.address() + offset;
    }

    @Override
    public void copyToHost(long offset, MemorySegment destination, long destinationOffset, long length) {
        MemorySegment.copy(segment, offset, destination, destinationOffset, length);
    }

    @Override
    public void copyFromHost(MemorySegment source, long sourceOffset, long offset, long length) {
        MemorySegment.copy(source, sourceOffset, segment, offset, length);
    }

    @Override
    public void close() {
        arena.close();
    }
}
