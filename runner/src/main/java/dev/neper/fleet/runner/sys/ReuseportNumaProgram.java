package dev.neper.fleet.runner.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The reuseport eBPF program of -N (neper's --pin-numa): a socket-filter program attached to a
 * port's SO_REUSEPORT group (SO_ATTACH_REUSEPORT_EBPF) that hands each new connection to a listener
 * of a thread on the NUMA node handling its SYN. Listener k of a group belongs to thread k, and
 * thread k runs on node k mod N, so node n's threads are n, n+N, n+2N, ... below T: the program picks
 * one of them at random, or any thread when node n has none. Written for the runner from that rule:
 * <pre>
 *   r0 = numa_node_id(); r6 = r0
 *   if r6 >= T goto any
 *   r7 = (T - 1 - r6) / N + 1          ; threads on node r6
 *   r0 = prandom_u32() % r7 * N + r6
 *   exit
 * any: r0 = prandom_u32() % T; exit
 * </pre>
 */
public final class ReuseportNumaProgram implements AutoCloseable {
    static final int BPF_PROG_LOAD = 5;
    static final int BPF_PROG_TEST_RUN = 10;
    static final int BPF_PROG_TYPE_SOCKET_FILTER = 1;
    public static final int SO_ATTACH_REUSEPORT_EBPF = 52;
    static final int ATTR_SIZE = 128;
    private static final int HELPER_PRANDOM_U32 = 7;
    private static final int HELPER_NUMA_NODE_ID = 42;
    private static final int LOG_SIZE = 4096;

    private final int fd;

    private ReuseportNumaProgram(int fd) {
        this.fd = fd;
    }

    /** Loads the program for {@code threads} listeners per group on {@code nodes} NUMA nodes. */
    public static ReuseportNumaProgram load(int threads, int nodes) throws SysCallException {
        if (threads < 1 || nodes < 1) {
            throw new IllegalArgumentException("threads and nodes must be positive: " + threads + ", " + nodes);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment insns = instructions(arena, threads, nodes);
            MemorySegment license = arena.allocateFrom("");
            MemorySegment log = arena.allocate(LOG_SIZE);
            MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            attr.set(ValueLayout.JAVA_INT, 0, BPF_PROG_TYPE_SOCKET_FILTER);
            attr.set(ValueLayout.JAVA_INT, 4, (int) (insns.byteSize() / 8));
            attr.set(ValueLayout.JAVA_LONG, 8, insns.address());
            attr.set(ValueLayout.JAVA_LONG, 16, license.address());
            attr.set(ValueLayout.JAVA_INT, 24, 1);
            attr.set(ValueLayout.JAVA_INT, 28, LOG_SIZE);
            attr.set(ValueLayout.JAVA_LONG, 32, log.address());
            long r = Libc.bpf(BPF_PROG_LOAD, attr, ATTR_SIZE);
            if (r < 0) {
                throw new SysCallException("bpf(BPF_PROG_LOAD) of -N's reuseport program", (int) -r,
                        log.getString(0).strip());
            }
            return new ReuseportNumaProgram((int) r);
        }
    }

    static MemorySegment instructions(Arena arena, int threads, int nodes) {
        long[][] program = {
                {0x85, 0, 0, 0, HELPER_NUMA_NODE_ID},   // call numa_node_id
                {0xbf, 6, 0, 0, 0},                      // r6 = r0
                {0x35, 6, 0, 9, threads},                // if r6 >= T goto any
                {0xb7, 7, 0, 0, threads - 1},            // r7 = T - 1
                {0x1f, 7, 6, 0, 0},                      // r7 -= r6
                {0x37, 7, 0, 0, nodes},                  // r7 /= N
                {0x07, 7, 0, 0, 1},                      // r7 += 1
                {0x85, 0, 0, 0, HELPER_PRANDOM_U32},     // call prandom_u32
                {0x9f, 0, 7, 0, 0},                      // r0 %= r7
                {0x27, 0, 0, 0, nodes},                  // r0 *= N
                {0x0f, 0, 6, 0, 0},                      // r0 += r6
                {0x95, 0, 0, 0, 0},                      // exit
                {0x85, 0, 0, 0, HELPER_PRANDOM_U32},     // any: call prandom_u32
                {0x97, 0, 0, 0, threads},                // r0 %= T
                {0x95, 0, 0, 0, 0},                      // exit
        };
        MemorySegment insns = arena.allocate(program.length * 8L, 8);
        for (int i = 0; i < program.length; i++) {
            long[] p = program[i];
            long at = i * 8L;
            insns.set(ValueLayout.JAVA_BYTE, at, (byte) p[0]);
            insns.set(ValueLayout.JAVA_BYTE, at + 1, (byte) (p[1] | p[2] << 4));
            insns.set(ValueLayout.JAVA_SHORT, at + 2, (short) p[3]);
            insns.set(ValueLayout.JAVA_INT, at + 4, (int) p[4]);
        }
        return insns;
    }

    /** Attaches the program to the reuseport group the listener {@code listener} is about to join. */
    public void attach(int listener) throws SysCallException {
        Sockets.setInt(listener, Sockets.SOL_SOCKET, SO_ATTACH_REUSEPORT_EBPF, "SO_ATTACH_REUSEPORT_EBPF", fd);
    }

    /** Runs the program once in the kernel (BPF_PROG_TEST_RUN) on a dummy frame; the listener index it chose. */
    public int testRun() throws SysCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment frame = arena.allocate(64);
            MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            attr.set(ValueLayout.JAVA_INT, 0, fd);
            attr.set(ValueLayout.JAVA_INT, 8, (int) frame.byteSize());
            attr.set(ValueLayout.JAVA_LONG, 16, frame.address());
            attr.set(ValueLayout.JAVA_INT, 32, 1);
            long r = Libc.bpf(BPF_PROG_TEST_RUN, attr, ATTR_SIZE);
            if (r < 0) {
                throw new SysCallException("bpf(BPF_PROG_TEST_RUN)", (int) -r);
            }
            return attr.get(ValueLayout.JAVA_INT, 4);
        }
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
