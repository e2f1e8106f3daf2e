package dev.neper.fleet.runner.engine;

import dev.neper.fleet.runner.sys.Errno;
import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.sys.Sockets;
import dev.neper.fleet.runner.sys.SysCallException;
import dev.neper.fleet.runner.validate.StreamValidator;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * --rx-zerocopy: TCP_ZEROCOPY_RECEIVE into a read-only mapping of the socket (buffer_size bytes,
 * mapped once per flow), as neper's flow_recv_zerocopy does. Each receive maps the whole pages the
 * socket holds into the mapping; what cannot be mapped (a partial page, an unaligned fragment) the
 * kernel copies into the copy buffer, up to just under a page (a larger copy buffer would make it
 * copy more and map less); what is left beyond that (recv_skip_hint) is read with recv. In stream
 * order: mapped bytes, copied bytes, read bytes. SO_RCVLOWAT = buffer_size makes a readiness mean a
 * buffer's worth. struct tcp_zerocopy_receive (64 B): address u64 0, length u32 8, recv_skip_hint
 * u32 12, inq u32 16, err s32 20, copybuf_address u64 24, copybuf_len s32 32, flags u32 36,
 * msg_control u64 40, msg_controllen u64 48, msg_flags u32 56, reserved u32 60.
 */
final class MappedReceive implements HostFlowIoFactory.Receive {
    static final int ZEROCOPY_RECEIVE_SIZE = 64;
    private static final int COPY_LIMIT = 4095;
    private static final long PAGE = 4096;

    /** Automatic: a shared arena would cost two atomic operations per segment on every getsockopt. */
    private final Arena arena = Arena.ofAuto();
    private final long mapping;
    private final long mappingSize;
    private final MemorySegment mapped;
    private final MemorySegment copyBuffer;
    private final MemorySegment request;
    private final MemorySegment requestLength;
    private final StreamValidator validator;
    private final int copyLength;
    private long mappedBytes;
    private long receivedBytes;

    MappedReceive(int fd, MemorySegment copyBuffer, StreamValidator validator) throws SysCallException {
        this.copyBuffer = copyBuffer;
        this.validator = validator;
        int bufferSize = (int) copyBuffer.byteSize();
        Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_RCVLOWAT, "SO_RCVLOWAT", bufferSize);
        this.mappingSize = (bufferSize + PAGE - 1) / PAGE * PAGE;
        long address = Libc.mmap(mappingSize, Libc.PROT_READ, Libc.MAP_SHARED, fd, 0);
        if (address < 0) {
            throw new SysCallException("mmap of the socket for TCP_ZEROCOPY_RECEIVE", (int) -address,
                    mappingSize + " bytes");
        }
        this.mapping = address;
        this.mapped = MemorySegment.ofAddress(address).reinterpret(mappingSize);
        this.copyLength = Math.min(bufferSize, COPY_LIMIT);
        this.request = arena.allocate(ZEROCOPY_RECEIVE_SIZE, 8);
        this.requestLength = arena.allocate(ValueLayout.JAVA_INT);
        request.set(ValueLayout.JAVA_LONG, 0, address);
        request.set(ValueLayout.JAVA_LONG, 24, copyBuffer.address());
    }

    @Override
    public long receive(int fd) {
        request.set(ValueLayout.JAVA_INT, 8, (int) copyBuffer.byteSize());
        request.set(ValueLayout.JAVA_INT, 12, 0);
        request.set(ValueLayout.JAVA_INT, 16, 0);
        request.set(ValueLayout.JAVA_INT, 20, 0);
        request.set(ValueLayout.JAVA_INT, 32, copyLength);
        request.set(ValueLayout.JAVA_INT, 36, 0);
        request.set(ValueLayout.JAVA_LONG, 40, 0);
        request.set(ValueLayout.JAVA_LONG, 48, 0);
        request.set(ValueLayout.JAVA_LONG, 56, 0);
        requestLength.set(ValueLayout.JAVA_INT, 0, ZEROCOPY_RECEIVE_SIZE);
        int r = Libc.getsockopt(fd, Sockets.IPPROTO_TCP, Sockets.TCP_ZEROCOPY_RECEIVE, request, requestLength);
        if (r < 0) {
            // EIO: nothing left and the peer has closed, the end of the stream
            return r == -Errno.EIO ? 0 : r;
        }
        long length = Integer.toUnsignedLong(request.get(ValueLayout.JAVA_INT, 8));
        long skip = Integer.toUnsignedLong(request.get(ValueLayout.JAVA_INT, 12));
        int copied = request.get(ValueLayout.JAVA_INT, 32);
        if (copied < 0) {
            return copied;
        }
        if (length > 0) {
            if (validator != null) {
                validator.check(mapped, 0, length);
            }
            mappedBytes += length;
            Libc.madvise(mapping, length, Libc.MADV_DONTNEED);
        }
        if (copied > 0 && validator != null) {
            validator.check(copyBuffer, 0, copied);
        }
        long read = 0;
        if (skip > 0) {
            read = Libc.recv(fd, copyBuffer, Math.min(skip, copyBuffer.byteSize()), 0);
            if (read < 0 && length + copied == 0) {
                return read;
            }
            if (read > 0 && validator != null) {
                validator.check(copyBuffer, 0, read);
            }
        }
        long total = length + copied + Math.max(read, 0);
        receivedBytes += total;
        return total == 0 ? -Errno.EAGAIN : total;
    }

    /**
     * The run has stopped: what is left is less than a buffer, which SO_RCVLOWAT = buffer_size would
     * never report readable, so the tail is taken byte for byte (every sent byte counted, as without -z).
     */
    @Override
    public void draining(int fd) {
        try {
            Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_RCVLOWAT, "SO_RCVLOWAT", 1);
        } catch (SysCallException e) {
            // the socket is gone; its flow ends on its own
        }
    }

    long mappedBytes() {
        return mappedBytes;
    }

    long receivedBytes() {
        return receivedBytes;
    }

    @Override
    public void close() {
        Libc.munmap(mapping, mappingSize);
    }
}
