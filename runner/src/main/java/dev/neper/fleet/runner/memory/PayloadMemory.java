package dev.neper.fleet.runner.memory;

import dev.neper.fleet.runner.validate.ValidationPattern;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * Memory a run's payload lives in, whatever provides it: host memory, a udmabuf, or GPU memory
 * through CUDA. Devmem memory is exported as a dmabuf the NIC is bound to; the CPU reaches it only
 * through the copy methods (a udmabuf by its mapping, GPU memory by CUDA copies).
 */
public interface PayloadMemory extends AutoCloseable {
    /** For messages: "udmabuf of 64 MiB", "cuda 0000:04:00.0 of 64 MiB". */
    String description();

    long size();

    /** The dmabuf file descriptor the NIC binds to; -1 for memory without one (host). */
    int dmabufFd();

    /**
     * The iov_base that sends the bytes at {@code offset}: the offset itself for dmabuf memory (devmem
     * TX takes dmabuf offsets), the address for host memory.
     */
    default long sendBase(long offset) {
        return offset;
    }

    /** Copies device bytes [offset, offset + length) into host memory. */
    void copyToHost(long offset, MemorySegment destination, long destinationOffset, long length) throws IOException;

    /** Copies host bytes into the device memory at {@code offset}. */
    void copyFromHost(MemorySegment source, long sourceOffset, long offset, long length) throws IOException;

    /** Brackets CPU reads of the memory (a udmabuf needs DMA_BUF_IOCTL_SYNC around them). */
    default void beginCpuRead() throws IOException {
    }

    default void endCpuRead() throws IOException {
    }

    /** Writes the validation pattern for stream bytes [stream, stream + length) at {@code offset}. */
    default void fillPattern(long offset, long length, long stream) throws IOException {
        MemorySegment pattern = ValidationPattern.segment();
        long done = 0;
        while (done < length) {
            long chunk = Math.min(ValidationPattern.SPAN, length - done);
            copyFromHost(pattern, ValidationPattern.phase(stream + done), offset + done, chunk);
            done += chunk;
        }
    }

    @Override
    void close();
}
