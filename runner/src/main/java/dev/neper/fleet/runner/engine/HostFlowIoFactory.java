package dev.neper.fleet.runner.engine;

import java.io.FileInputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import dev.neper.fleet.runner.contract.ErrorKind;
import dev.neper.fleet.runner.contract.Options;
import dev.neper.fleet.runner.contract.RunError;
import dev.neper.fleet.runner.contract.ValidationReport;
import dev.neper.fleet.runner.contract.ZerocopyReport;
import dev.neper.fleet.runner.memory.Sizes;
import dev.neper.fleet.runner.sys.Errno;
import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.sys.Sockets;
import dev.neper.fleet.runner.sys.SysCallException;
import dev.neper.fleet.runner.validate.StreamValidator;
import dev.neper.fleet.runner.validate.ValidationPattern;
import dev.neper.fleet.runner.validate.ValidationRegistry;
import dev.neper.fleet.runner.zerocopy.ZerocopyCompletions;

/**
 * Host memory, as neper's tcp_stream uses it: each thread has one receive buffer and one send
 * buffer of buffer_size bytes shared by its flows, made when the thread's first flow needs it (a
 * thread whose flows only read has no send buffer). The receive buffer is mapped anonymous memory;
 * the send buffer holds 16 MiB of random bytes, repeated by mapping them again where the buffer is
 * larger ({@link RepeatingMapping}).
 * With --tcpd-validate the send buffer holds the validation pattern instead, buffer_size + 111 bytes
 * of it, and each send starts at the flow's stream position mod 111, so the stream carries
 * byte (p mod 111) + 1 at every position p; each receiving flow checks what it reads.
 * <p>Receiving copies into the buffer (recv), or with --skip-rx-copy counts without copying
 * (MSG_TRUNC), or with --rx-zerocopy maps the socket ({@link MappedReceive}). Sending is send(), with
 * --zerocopy MSG_ZEROCOPY: the buffers never change, so a send may reuse them before its completion,
 * as neper's does; completions are read from the error queue only to count them and keep the
 * socket's notification memory free.
 */
public final class HostFlowIoFactory implements FlowIoFactory {
    private static final int RANDOM_CHUNK = 1 << 20;
    static final long RANDOM_SPAN = 16L << 20;
    /** About 16 MiB, a whole number of both the pattern's period and pages. */
    static final long PATTERN_SPAN = ValidationPattern.PERIOD * Sizes.PAGE * 37;
    private static final MemorySegment[] NO_SEND_WINDOWS = new MemorySegment[0];
    /** Every mapping this factory made, unmapped when it closes (after the run's threads have ended). */
    private final List<MemorySegment> mappings = new ArrayList<>();
    private final int bufferSize;
    private final MemorySegment[] receiveBuffers;
    private final MemorySegment[][] sendWindows;
    private final ValidationRegistry validation;
    private final boolean skipRxCopy;
    private final boolean rxZerocopy;
    private final boolean zerocopy;
    private final List<HostFlowIo> flows = new ArrayList<>();

    public HostFlowIoFactory(Options options) {
        this.bufferSize = options.bufferSize();
        this.receiveBuffers = new MemorySegment[options.numThreads()];
        this.sendWindows = new MemorySegment[options.numThreads()][];
        this.validation = options.tcpdValidate() ? new ValidationRegistry() : null;
        this.skipRxCopy = options.skipRxCopy();
        this.rxZerocopy = options.rxZerocopy();
        this.zerocopy = options.zerocopy();
    }

    @Override
    public FlowIo open(FlowContext flow) throws IOException {
        MemorySegment receiveBuffer = receiveBuffer(flow.thread());
        StreamValidator validator = validation != null && flow.reads()
                ? validation.open(flow.thread() + "/" + flow.flowInThread()) : null;
        Receive receive = rxZerocopy && flow.reads()
                ? new MappedReceive(flow.fd(), receiveBuffer, validator)
                : new CopyReceive(receiveBuffer, skipRxCopy ? Sockets.MSG_TRUNC : 0, validator);
        // a side that only reads never fills a send buffer (of gigabytes, with a large -B)
        MemorySegment[] windows = flow.writes() ? sendWindows(flow.thread()) : NO_SEND_WINDOWS;
        HostFlowIo io = new HostFlowIo(receive, windows, zerocopy ? new ZerocopyCompletions() : null);
        synchronized (flows) {
            flows.add(io);
        }
        return io;
    }

    /** Only thread {@code thread}'s worker opens its flows, so its slots need no lock (nor its fills one). */
    private MemorySegment receiveBuffer(int thread) throws IOException {
        if (receiveBuffers[thread] == null) {
            receiveBuffers[thread] = anonymous(bufferSize);
        }
        return receiveBuffers[thread];
    }

    private MemorySegment[] sendWindows(int thread) throws IOException {
        if (sendWindows[thread] == null) {
            sendWindows[thread] = validation != null ? patternWindows() : new MemorySegment[] {randomBuffer()};
        }
        return sendWindows[thread];
    }

    private MemorySegment randomBuffer() throws IOException {
        return unmappedOnClose(RepeatingMapping.map(bufferSize, RANDOM_SPAN, HostFlowIoFactory::fillRandom));
    }

    /**
     * One pattern buffer and its 111 send windows, one per phase; no slicing on the hot path. Its span
     * is a whole number of periods, so the pattern runs on unbroken where the span repeats.
     */
    private MemorySegment[] patternWindows() throws IOException {
        MemorySegment pattern = unmappedOnClose(RepeatingMapping.map(bufferSize + ValidationPattern.PERIOD,
                PATTERN_SPAN, span -> ValidationPattern.fill(span, 0)));
        MemorySegment[] windows = new MemorySegment[ValidationPattern.PERIOD];
        for (int phase = 0; phase < windows.length; phase++) {
            windows[phase] = pattern.asSlice(phase, bufferSize);
        }
        return windows;
    }

    /**
     * Private anonymous memory, unmapped with the factory: the kernel supplies zero pages as they are first
     * touched, so a receive buffer of gigabytes costs only the pages recv writes (Arena.allocate would
     * write every byte before the first flow is served, seconds for -B 2000000000 on a busy machine).
     * The segment has the global scope, not a shared arena's: FFM acquires and releases a shared arena
     * with two atomic operations on every recv or send the segment is passed to, a per-call cost the C
     * tool does not pay; the factory is closed only after the run's threads have ended.
     */
    @SuppressWarnings("restricted")
    private MemorySegment anonymous(long size) throws IOException {
        long address = SysCallException.check("mmap(" + size + " bytes, anonymous)",
                Libc.mmap(size, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0));
        return unmappedOnClose(MemorySegment.ofAddress(address).reinterpret(size));
    }

    private MemorySegment unmappedOnClose(MemorySegment mapping) {
        synchronized (mappings) {
            mappings.add(mapping);
        }
        return mapping;
    }

    /**
     * Fills a send buffer's span from /dev/urandom a chunk at a time (no copy of it on the heap): the
     * payload stays incompressible, and a buffer of gigabytes, the span repeated, is ready at once
     * instead of after urandom's several seconds.
     */
    static void fillRandom(MemorySegment span) throws IOException {
        try (FileInputStream urandom = new FileInputStream("/dev/urandom")) {
            byte[] chunk = new byte[(int) Math.min(span.byteSize(), RANDOM_CHUNK)];
            for (long offset = 0; offset < span.byteSize(); offset += chunk.length) {
                int length = (int) Math.min(chunk.length, span.byteSize() - offset);
                if (urandom.readNBytes(chunk, 0, length) != length) {
                    throw new IOException("/dev/urandom ended early");
                }
                MemorySegment.copy(chunk, 0, span, ValueLayout.JAVA_BYTE, offset, length);
            }
        }
    }

    @Override
    public ValidationReport validation() {
        return validation == null ? null : validation.report();
    }

    @Override
    public ZerocopyReport zerocopy() {
        if (!zerocopy && !rxZerocopy) {
            return null;
        }
        long sends = 0;
        long completed = 0;
        long copied = 0;
        long mapped = 0;
        long received = 0;
        synchronized (flows) {
            for (HostFlowIo flow : flows) {
                if (flow.completions != null) {
                    sends += flow.completions.sends();
                    completed += flow.completions.completed();
                    copied += flow.completions.copied();
                }
                if (flow.receive instanceof MappedReceive m) {
                    mapped += m.mappedBytes();
                    received += m.receivedBytes();
                }
            }
        }
        return new ZerocopyReport(zerocopy, sends, completed, copied, rxZerocopy, mapped, received);
    }

    @Override
    public List<RunError> errors() {
        List<RunError> errors = new ArrayList<>(validation == null ? List.of() : validation.errors());
        synchronized (flows) {
            for (HostFlowIo flow : flows) {
                if (flow.completions != null && flow.completions.failure() != null) {
                    errors.add(new RunError(ErrorKind.DATA_CONNECTION, "zerocopy send: " + flow.completions.failure()));
                }
            }
        }
        return errors;
    }

    @Override
    public void close() {
        synchronized (mappings) {
            for (MemorySegment mapping : mappings) {
                Libc.munmap(mapping.address(), mapping.byteSize());
            }
            mappings.clear();
        }
    }

    /** How a flow receives: into the buffer, discarding, or mapped. */
    interface Receive {
        /** Bytes received, 0 at the end of the stream, or -errno (EAGAIN when nothing was waiting). */
        long receive(int fd);

        default void draining(int fd) {
        }

        default void close() {
        }
    }

    /** recv into the thread's buffer (with MSG_TRUNC: counted, not copied), validated when asked. */
    record CopyReceive(MemorySegment buffer, int flags, StreamValidator validator) implements Receive {
        @Override
        public long receive(int fd) {
            long n = Libc.recv(fd, buffer, buffer.byteSize(), flags);
            // the flow's constant first: whether a receive finds nothing varies between the warm-up and the run
            if (validator != null && n > 0) {
                validator.check(buffer, 0, n);
            }
            return n;
        }
    }

    private static final class HostFlowIo implements FlowIo {
        private final Receive receive;
        private final MemorySegment[] sendWindows;
        private final ZerocopyCompletions completions;
        private final int zerocopyFlag;
        private long sent;

        HostFlowIo(Receive receive, MemorySegment[] sendWindows, ZerocopyCompletions completions) {
            this.receive = receive;
            this.sendWindows = sendWindows;
            this.completions = completions;
            this.zerocopyFlag = completions != null ? Sockets.MSG_ZEROCOPY : 0;
        }

        @Override
        public long receive(int fd) {
            return receive.receive(fd);
        }

        /** Sends the window for the stream position (the pattern's phase when validating). */
        @Override
        public long send(int fd, int flags) {
            MemorySegment window = sendWindows.length == 1 ? sendWindows[0]
                    : sendWindows[ValidationPattern.phase(sent)];
            long n = Libc.send(fd, window, window.byteSize(), flags | zerocopyFlag);
            if (n > 0) {
                sent += n;
                if (completions != null) {
                    completions.sent();
                }
            } else if (n == -Errno.ENOBUFS && completions != null) {
                // the socket's notification memory is full of unread completions: read them, try again later
                return completions.reap(fd) ? -Errno.EAGAIN : n;
            }
            return n;
        }

        @Override
        public boolean reapErrorQueue(int fd) {
            return completions != null && completions.reap(fd);
        }

        @Override
        public void draining(int fd) {
            receive.draining(fd);
        }

        @Override
        public void close() {
            receive.close();
        }
    }
}
