package dev.neper.fleet.runner.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An epoll instance with its own event array. struct epoll_event is packed on x86-64:
 * u32 events at 0, u64 data at 4, 12 bytes each.
 */
public final class Epoll implements AutoCloseable {
    public static final int EPOLLIN = 0x1;
    public static final int EPOLLOUT = 0x4;
    public static final int EPOLLERR = 0x8;
    public static final int EPOLLHUP = 0x10;
    public static final int EPOLLRDHUP = 0x2000;
    public static final int EPOLLET = 0x80000000;
    static final int EVENT_SIZE = 12;
    private static final int CTL_ADD = 1;
    private static final int CTL_DEL = 2;
    private static final int CTL_MOD = 3;
    private static final int EPOLL_CLOEXEC = 0x80000;

    /**
     * Automatic, not shared: a shared arena costs two atomic operations on every epoll_wait the events
     * array is passed to; an automatic one nothing, and the array's memory goes with this object.
     */
    private final Arena arena = Arena.ofAuto();
    private final int epfd;
    private final int capacity;
    private final MemorySegment events;
    private final MemorySegment control;

    public Epoll(int capacity) throws SysCallException {
        this.epfd = SysCallException.check("epoll_create1", Libc.epollCreate1(EPOLL_CLOEXEC));
        this.capacity = capacity;
        this.events = arena.allocate((long) EVENT_SIZE * capacity, 8);
        this.control = arena.allocate(EVENT_SIZE, 8);
    }

    public void add(int fd, int interest, long data) throws SysCallException {
        ctl(CTL_ADD, "epoll_ctl(ADD)", fd, interest, data);
    }

    public void modify(int fd, int interest, long data) throws SysCallException {
        ctl(CTL_MOD, "epoll_ctl(MOD)", fd, interest, data);
    }

    public void remove(int fd) throws SysCallException {
        SysCallException.check("epoll_ctl(DEL)", Libc.epollCtl(epfd, CTL_DEL, fd, control));
    }

    private void ctl(int op, String call, int fd, int interest, long data) throws SysCallException {
        control.set(ValueLayout.JAVA_INT_UNALIGNED, 0, interest);
        control.set(ValueLayout.JAVA_LONG_UNALIGNED, 4, data);
        SysCallException.check(call, Libc.epollCtl(epfd, op, fd, control));
    }

    /** Waits for events; returns how many are ready (0 on timeout or EINTR). */
    public int await(int timeoutMillis) throws SysCallException {
        int n = Libc.epollWait(epfd, events, capacity, timeoutMillis);
        if (n == -Errno.EINTR) {
            return 0;
        }
        return SysCallException.check("epoll_wait", n);
    }

    public int readyEvents(int index) {
        return events.get(ValueLayout.JAVA_INT_UNALIGNED, (long) index * EVENT_SIZE);
    }

    public long readyData(int index) {
        return events.get(ValueLayout.JAVA_LONG_UNALIGNED, (long) index * EVENT_SIZE + 4);
    }

    @Override
    public void close() {
        Libc.close(epfd);
    }
}
