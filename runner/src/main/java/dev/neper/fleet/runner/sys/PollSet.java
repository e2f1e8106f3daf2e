package dev.neper.fleet.runner.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** A reusable array of struct pollfd (int fd, short events, short revents: 8 B each) for poll(2). */
public final class PollSet implements AutoCloseable {
    public static final short POLLIN = 0x1;
    public static final short POLLOUT = 0x4;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;
    static final int POLLFD_SIZE = 8;

    private final Arena arena = Arena.ofConfined();
    private MemorySegment fds;
    private int capacity;
    private int count;

    public PollSet(int capacity) {
        this.capacity = Math.max(1, capacity);
        this.fds = arena.allocate((long) POLLFD_SIZE * this.capacity, 8);
    }

    public void clear() {
        count = 0;
    }

    /** Adds a descriptor; returns its index for {@link #revents}. */
    public int add(int fd, short events) {
        if (count == capacity) {
            MemorySegment bigger = arena.allocate((long) POLLFD_SIZE * capacity * 2, 8);
            MemorySegment.copy(fds, 0, bigger, 0, (long) POLLFD_SIZE * capacity);
            fds = bigger;
            capacity *= 2;
        }
        long base = (long) count * POLLFD_SIZE;
        fds.set(ValueLayout.JAVA_INT, base, fd);
        fds.set(ValueLayout.JAVA_SHORT, base + 4, events);
        fds.set(ValueLayout.JAVA_SHORT, base + 6, (short) 0);
        return count++;
    }

    /** Waits up to the timeout; returns the number of ready descriptors, 0 on timeout or EINTR. */
    public int await(int timeoutMillis) throws SysCallException {
        int n = Libc.poll(fds, count, timeoutMillis);
        if (n == -Errno.EINTR) {
            return 0;
        }
        return SysCallException.check("poll", n);
    }

    public int revents(int index) {
        return Short.toUnsignedInt(fds.get(ValueLayout.JAVA_SHORT, (long) index * POLLFD_SIZE + 6));
    }

    /** Waits for one descriptor; returns its revents, 0 on timeout. */
    public static int awaitOne(int fd, short events, int timeoutMillis) throws SysCallException {
        try (PollSet set = new PollSet(1)) {
            set.add(fd, events);
            return set.await(timeoutMillis) == 0 ? 0 : set.revents(0);
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
