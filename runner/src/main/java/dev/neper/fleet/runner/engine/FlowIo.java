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

    @Override
    default void close() {
    }
}
