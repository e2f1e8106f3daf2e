package dev.neper.fleet.runner.engine;

import dev.neper.fleet.runner.contract.FlowReport;
import dev.neper.fleet.runner.stats.FlowSamples;
import dev.neper.fleet.runner.stats.RunClock;
import dev.neper.fleet.runner.sys.Epoll;
import dev.neper.fleet.runner.sys.Errno;
import dev.neper.fleet.runner.sys.Libc;

/**
 * One data connection on a worker thread: its socket, its IO strategy, its samples and counters.
 * {@link #onEvents} is the per-event hot path: one receive for EPOLLIN and one send for EPOLLOUT,
 * as neper does, with no allocation.
 */
final class Flow {
    private final int fd;
    private final int thread;
    private final int index;
    private final FlowIo io;
    private final FlowSamples samples;
    private final RunClock clock;
    private final boolean reads;
    private final boolean writes;
    private final int sendFlags;
    private final String localAddress;
    private final String remoteAddress;
    private long bytesReceived;
    private long bytesSent;
    private long lastReceiveNanos;
    private boolean open = true;
    private String error;

    Flow(int fd, int thread, int index, FlowIo io, FlowSamples samples, RunClock clock, boolean reads, boolean writes,
         int sendFlags, String localAddress, String remoteAddress) {
        this.fd = fd;
        this.thread = thread;
        this.index = index;
        this.io = io;
        this.samples = samples;
        this.clock = clock;
        this.reads = reads;
        this.writes = writes;
        this.sendFlags = sendFlags;
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
    }

    int fd() {
        return fd;
    }

    boolean isOpen() {
        return open;
    }

    boolean reads() {
        return reads;
    }

    int interest() {
        return Epoll.EPOLLRDHUP | (reads ? Epoll.EPOLLIN : 0) | (writes ? Epoll.EPOLLOUT : 0);
    }

    /** Handles one epoll readiness; returns false once the flow has closed. */
    boolean onEvents(int readiness, boolean sending) {
        int events = readiness;
        if ((events & Epoll.EPOLLERR) != 0 && io.reapErrorQueue(fd)) {
            events &= ~Epoll.EPOLLERR;
        }
        if (samples.count() == 0) {
            samples.event(0, System.nanoTime(), clock);
        }
        if ((events & Epoll.EPOLLIN) != 0 && receiveOnce() < 0) {
            return false;
        }
        if (sending && (events & Epoll.EPOLLOUT) != 0 && !sendOnce()) {
            return false;
        }
        if ((events & (Epoll.EPOLLHUP | Epoll.EPOLLRDHUP | Epoll.EPOLLERR)) != 0) {
            drainUntilClosed();
            return false;
        }
        return true;
    }

    /** One receive; returns the bytes received, 0 when none were waiting, -1 when the connection ended. */
    private long receiveOnce() {
        long n = io.receive(fd);
        if (n > 0) {
            long now = System.nanoTime();
            lastReceiveNanos = now;
            bytesReceived += n;
            samples.event(n, now, clock);
            return n;
        }
        if (n == -Errno.EAGAIN || n == -Errno.EINTR) {
            return 0;
        }
        fail(n == 0 ? "closed by the peer" : "recv failed: " + Errno.describe((int) -n));
        return -1;
    }

    private boolean sendOnce() {
        long n = io.send(fd, sendFlags);
        if (n >= 0) {
            bytesSent += n;
            return true;
        }
        if (n == -Errno.EAGAIN || n == -Errno.EINTR) {
            return true;
        }
        fail("send failed: " + Errno.describe((int) -n));
        return false;
    }

    /** The peer hung up: take in what it sent before that, then record how the connection ended. */
    private void drainUntilClosed() {
        if (reads) {
            while (receiveOnce() > 0) {
                // keep reading: a FIN or RST follows the last bytes
            }
        }
        fail("closed by the peer");
    }

    private void fail(String reason) {
        if (open) {
            error = reason + " after " + bytesReceived + " bytes received and " + bytesSent + " sent";
            closeSocket();
        }
    }

    /** The sample neper takes when threads stop; a reader's is timed at its last byte. */
    void finalSample() {
        samples.finalSample(reads && lastReceiveNanos != 0 ? lastReceiveNanos : System.nanoTime());
    }

    FlowSamples samples() {
        return samples;
    }

    void closeSocket() {
        if (open) {
            open = false;
            Libc.close(fd);
            io.close();
        }
    }

    FlowReport report() {
        double rate = 0;
        int n = samples.count();
        if (n >= 2) {
            double seconds = (samples.time(n - 1) - samples.time(0)) * 1e-9;
            rate = seconds > 0 ? 8 * (samples.totalAt(n - 1) - samples.totalAt(0)) / seconds : 0;
        }
        return new FlowReport(thread, index, localAddress, remoteAddress, bytesReceived, bytesSent, rate, error);
    }
}
