package dev.neper.fleet.runner.devmem;

import dev.neper.fleet.runner.sys.Sockets;
import dev.neper.fleet.runner.sys.MsgHdr;
import dev.neper.fleet.runner.engine.FlowIo;
import dev.neper.fleet.runner.memory.PayloadMemory;
import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.validate.StreamValidator;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One flow's devmem receive: recvmsg with MSG_SOCK_DEVMEM into an iovec (for LINEAR bytes) and a
 * control buffer sized for a cmsg per fragment of the link's smallest size (its MSS); the cmsg walk;
 * the counters, including receives the control buffer cut short; with --tcpd-rx-cpy or
 * --tcpd-validate the received bytes gathered in stream order (LINEAR from the iovec, DMABUF from
 * device memory) into one host buffer and validated there against the flow's stream offset; then
 * the DMABUF fragments' tokens handed back in batches. A failure ends the flow with EPROTO and its
 * reason kept for the report.
 */
public final class DevmemReceiver implements FlowIo {
    static final int EPROTO = 71;

    private final Arena arena = Arena.ofShared();
    private final PayloadMemory memory;
    private final int bindingId;
    private final MemorySegment msghdr;
    private final MemorySegment iovBuffer;
    private final MemorySegment control;
    private final MemorySegment gather;
    private final Fragments fragments;
    private final CmsgWalker walker = new CmsgWalker();
    private final TokenReleaser releaser;
    private final StreamValidator validator;
    private final DevmemCounters counters;
    private volatile String failure;

    /** @param smallestFragment the smallest fragment the link delivers ({@link DevmemAbi#smallestFragment}) */
    public DevmemReceiver(PayloadMemory memory, int bindingId, int bufferSize, int smallestFragment,
                          StreamValidator validator, boolean gather, TokenReleaser.Sink sink, DevmemCounters counters) {
        this.memory = memory;
        this.bindingId = bindingId;
        this.validator = validator;
        this.counters = counters;
        this.iovBuffer = arena.allocate(bufferSize, 4096);
        long controlSize = DevmemAbi.receiveControlSize(bufferSize, smallestFragment);
        this.control = arena.allocate(controlSize, 8);
        this.fragments = new Fragments((int) (controlSize / MsgHdr.cmsgSpace(DevmemAbi.DMABUF_CMSG_SIZE)) + 1);
        this.gather = gather || validator != null ? arena.allocate(bufferSize, 4096) : null;
        this.releaser = new TokenReleaser(arena, sink);
        MemorySegment iov = arena.allocate(MsgHdr.IOVEC_SIZE, 8);
        MsgHdr.iovec(iov, 0, iovBuffer.address(), bufferSize);
        this.msghdr = arena.allocate(MsgHdr.SIZE, 8);
        MsgHdr.msghdr(msghdr, iov, 1, control, controlSize);
    }

    public MemorySegment control() {
        return control;
    }

    public MemorySegment iovBuffer() {
        return iovBuffer;
    }

    @Override
    public long receive(int fd) {
        MsgHdr.setControlLength(msghdr, control.byteSize());
        MsgHdr.clearFlags(msghdr);
        long n = Libc.recvmsg(fd, msghdr, DevmemAbi.MSG_SOCK_DEVMEM);
        if (n <= 0) {
            return n;
        }
        return process(fd, n, MsgHdr.controlLength(msghdr), MsgHdr.flags(msghdr));
    }

    /** A devmem flow moves data one way (the option checks refuse -r with -w in devmem modes). */
    @Override
    public long send(int fd, int flags) {
        return -dev.neper.fleet.runner.sys.Errno.EOPNOTSUPP;
    }

    /**
     * Everything after the recvmsg call: walk, gather and validate, count, return tokens. Returns
     * {@code received}, or -EPROTO with {@link #failure} set.
     */
    public long process(int fd, long received, long controlLength, int flags) {
        countTruncation(received, controlLength, flags);
        if (!walker.walk(control, controlLength, flags, received, bindingId, iovBuffer.byteSize(), memory.size(),
                fragments)) {
            return fail(walker.error());
        }
        if (gather != null && !gatherAndValidate(received)) {
            return -EPROTO;
        }
        for (int i = 0; i < fragments.count; i++) {
            if (fragments.kind[i] == Fragments.LINEAR) {
                counters.linearBytes += fragments.size[i];
            } else {
                counters.devmemBytes += fragments.size[i];
                counters.fragments++;
                if (!releaser.add(fd, fragments.token[i])) {
                    return fail(releaser.error());
                }
            }
        }
        if (!releaser.flush(fd)) {
            return fail(releaser.error());
        }
        counters.fragmentsReturned = releaser.released();
        return received;
    }

    /**
     * A receive the control buffer cut short: MSG_CTRUNC, or fewer bytes than the iovec asked for with
     * no room left for another cmsg (the kernel stops adding fragments to a full control buffer; the
     * rest waits for the next receive). Counted, since many mean the buffer is too small for the link.
     */
    private void countTruncation(long received, long controlLength, int flags) {
        boolean full = control.byteSize() - controlLength < MsgHdr.cmsgSpace(DevmemAbi.DMABUF_CMSG_SIZE);
        if ((flags & Sockets.MSG_CTRUNC) != 0 || (received < iovBuffer.byteSize() && full)) {
            counters.controlTruncations++;
        }
    }

    private boolean gatherAndValidate(long received) {
        try {
            memory.beginCpuRead();
            try {
                long at = 0;
                for (int i = 0; i < fragments.count; i++) {
                    int size = fragments.size[i];
                    if (fragments.kind[i] == Fragments.LINEAR) {
                        MemorySegment.copy(iovBuffer, fragments.offset[i], gather, at, size);
                    } else {
                        memory.copyToHost(fragments.offset[i], gather, at, size);
                    }
                    at += size;
                }
            } finally {
                memory.endCpuRead();
            }
        } catch (IOException e) {
            fail("copying received fragments from " + memory.description() + ": " + e.getMessage());
            return false;
        }
        if (validator != null) {
            validator.check(gather, 0, received);
        }
        return true;
    }

    private long fail(String reason) {
        if (failure == null) {
            failure = reason;
        }
        return -EPROTO;
    }

    /** Why the flow's receive failed, or null. */
    public String failure() {
        return failure;
    }

    /** The gathered bytes of the last receive (with --tcpd-rx-cpy or validation). */
    public MemorySegment gathered() {
        return gather;
    }

    @Override
    public void close() {
        arena.close();
    }
}
