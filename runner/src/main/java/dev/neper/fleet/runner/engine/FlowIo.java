package dev.neper.fleet.runner.engine;

/**
 * How one flow moves its bytes: the memory it receives into and sends from, and the calls that do
 * it. Host memory is plain recv/send into native buffers; the devmem modes plug in here. Both
 * methods return bytes moved, 0 from {@link #receive} at end of stream, or -errno (EAGAIN included);
 * they run on the flow's worker thread and must not allocate.
 */
public interface FlowIo extends AutoCloseable {
    long receive(int fd);

    long send(int fd, int flags);

    /**
     * Called on EPOLLERR before the flow treats it as the connection's end: a mode that expects
     * messages on the socket's error queue (zerocopy completions) reads them and returns true when
     * that was all the error was.
     */
    default boolean reapErrorQueue(int fd) {
        return false;
    }

    /** Called once the run stops and the flow only reads what is still queued: take the tail as it is. */
    default void draining(int fd) {
    }

    @Override
    default void close() {
    }
}
