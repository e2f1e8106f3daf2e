package dev.neper.fleet.runner.engine;

import java.io.FileInputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import dev.neper.fleet.runner.sys.Libc;

/**
 * Host memory, as neper's tcp_stream uses it: each thread has one receive buffer and one send
 * buffer of buffer_size bytes (the send buffer filled once from /dev/urandom) shared by its flows.
 */
public final class HostFlowIoFactory implements FlowIoFactory {
    private final Arena arena = Arena.ofShared();
    private final int bufferSize;
    private final ThreadBuffers[] perThread;

    private record ThreadBuffers(MemorySegment receive, MemorySegment send) {
    }

    public HostFlowIoFactory(int threads, int bufferSize) {
        this.bufferSize = bufferSize;
        this.perThread = new ThreadBuffers[threads];
    }

    @Override
    public FlowIo open(FlowContext flow) throws IOException {
        ThreadBuffers buffers = perThread[flow.thread()];
        if (buffers == null) {
            MemorySegment send = arena.allocate(bufferSize, 4096);
            fillRandom(send);
            buffers = new ThreadBuffers(arena.allocate(bufferSize, 4096), send);
            perThread[flow.thread()] = buffers;
        }
        return new HostFlowIo(buffers.receive(), buffers.send());
    }

    private static void fillRandom(MemorySegment buffer) throws IOException {
        try (FileInputStream urandom = new FileInputStream("/dev/urandom")) {
            byte[] bytes = urandom.readNBytes((int) buffer.byteSize());
            MemorySegment.copy(bytes, 0, buffer, ValueLayout.JAVA_BYTE, 0, bytes.length);
        }
    }

    @Override
    public void close() {
        arena.close();
    }

    private record HostFlowIo(MemorySegment receiveBuffer, MemorySegment sendBuffer) implements FlowIo {
        @Override
        public long receive(int fd) {
            return Libc.recv(fd, receiveBuffer, receiveBuffer.byteSize(), 0);
        }

        @Override
        public long send(int fd, int flags) {
            return Libc.send(fd, sendBuffer, sendBuffer.byteSize(), flags);
        }
    }
}
