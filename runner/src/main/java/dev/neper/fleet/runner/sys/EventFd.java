package dev.neper.fleet.runner.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** An eventfd used to wake an epoll loop from another thread. */
public final class EventFd implements AutoCloseable {
    private static final int EFD_CLOEXEC = 0x80000;
    private static final int EFD_NONBLOCK = 0x800;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment counter = arena.allocate(ValueLayout.JAVA_LONG);
    private final int fd;

    public EventFd() throws SysCallException {
        this.fd = SysCallException.check("eventfd", Libc.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    }

    public int fd() {
        return fd;
    }

    public synchronized void signal() throws SysCallException {
        counter.set(ValueLayout.JAVA_LONG, 0, 1L);
        SysCallException.check("write(eventfd)", Libc.write(fd, counter, 8));
    }

    /** Reads the counter back to zero, so the descriptor stops being readable (nothing happens if it was zero). */
    public synchronized void reset() {
        Libc.read(fd, counter, 8);
    }

    @Override
    public void close() {
        Libc.close(fd);
        arena.close();
    }
}
