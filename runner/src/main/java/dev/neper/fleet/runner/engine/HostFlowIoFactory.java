package dev.neper.fleet.runner.engine;

import java.io.FileInputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

import dev.neper.fleet.runner.contract.RunError;
import dev.neper.fleet.runner.contract.ValidationReport;
import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.validate.StreamValidator;
import dev.neper.fleet.runner.validate.ValidationPattern;
import dev.neper.fleet.runner.validate.ValidationRegistry;

/**
 * Host memory, as neper's tcp_stream uses it: each thread has one receive buffer and one send
 * buffer of buffer_size bytes (the send buffer filled once from /dev/urandom) shared by its flows.
 * With --tcpd-validate the send buffer holds the validation pattern instead, buffer_size + 111 bytes
 * of it, and each send starts at the flow's stream position mod 111, so the stream carries
 * byte (p mod 111) + 1 at every position p; each receiving flow checks what it reads.
 */
public final class HostFlowIoFactory implements FlowIoFactory {
    private final Arena arena = Arena.ofShared();
    private final int bufferSize;
    private final ThreadBuffers[] perThread;
    private final ValidationRegistry validation;

    private record ThreadBuffers(MemorySegment receive, MemorySegment send, MemorySegment[] patternSends) {
    }

    public HostFlowIoFactory(int threads, int bufferSize) {
        this(threads, bufferSize, false);
    }

    public HostFlowIoFactory(int threads, int bufferSize, boolean validate) {
        this.bufferSize = bufferSize;
        this.perThread = new ThreadBuffers[threads];
        this.validation = validate ? new ValidationRegistry() : null;
    }

    @Override
    public FlowIo open(FlowContext flow) throws IOException {
        ThreadBuffers buffers = perThread[flow.thread()];
        if (buffers == null) {
            buffers = validation != null ? patternBuffers() : randomBuffers();
            perThread[flow.thread()] = buffers;
        }
        if (validation == null) {
            return new HostFlowIo(buffers.receive(), buffers.send());
        }
        StreamValidator validator = flow.reads() ? validation.open(flow.thread() + "/" + flow.flowInThread()) : null;
        return new PatternFlowIo(buffers.receive(), buffers.patternSends(), validator);
    }

    private ThreadBuffers randomBuffers() throws IOException {
        MemorySegment send = arena.allocate(bufferSize, 4096);
        fillRandom(send);
        return new ThreadBuffers(arena.allocate(bufferSize, 4096), send, null);
    }

    /** One pattern buffer and its 111 send windows, one per phase; no slicing on the hot path. */
    private ThreadBuffers patternBuffers() {
        MemorySegment pattern = arena.allocate(bufferSize + ValidationPattern.PERIOD, 4096);
        ValidationPattern.fill(pattern, 0);
        MemorySegment[] windows = new MemorySegment[ValidationPattern.PERIOD];
        for (int phase = 0; phase < windows.length; phase++) {
            windows[phase] = pattern.asSlice(phase, bufferSize);
        }
        return new ThreadBuffers(arena.allocate(bufferSize, 4096), pattern, windows);
    }

    private static void fillRandom(MemorySegment buffer) throws IOException {
        try (FileInputStream urandom = new FileInputStream("/dev/urandom")) {
            byte[] bytes = urandom.readNBytes((int) buffer.byteSize());
            MemorySegment.copy(bytes, 0, buffer, ValueLayout.JAVA_BYTE, 0, bytes.length);
        }
    }

    @Override
    public ValidationReport validation() {
        return validation == null ? null : validation.report();
    }

    @Override
    public List<RunError> errors() {
        return validation == null ? List.of() : validation.errors();
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

    /** Sends the pattern from the flow's stream position; validates what it receives. */
    private static final class PatternFlowIo implements FlowIo {
        private final MemorySegment receiveBuffer;
        private final MemorySegment[] sendWindows;
        private final StreamValidator validator;
        private long sent;

        PatternFlowIo(MemorySegment receiveBuffer, MemorySegment[] sendWindows, StreamValidator validator) {
            this.receiveBuffer = receiveBuffer;
            this.sendWindows = sendWindows;
            this.validator = validator;
        }

        @Override
        public long receive(int fd) {
            long n = Libc.recv(fd, receiveBuffer, receiveBuffer.byteSize(), 0);
            if (n > 0 && validator != null) {
                validator.check(receiveBuffer, 0, n);
            }
            return n;
        }

        @Override
        public long send(int fd, int flags) {
            MemorySegment window = sendWindows[ValidationPattern.phase(sent)];
            long n = Libc.send(fd, window, window.byteSize(), flags);
            if (n > 0) {
                sent += n;
            }
            return n;
        }
    }
}
