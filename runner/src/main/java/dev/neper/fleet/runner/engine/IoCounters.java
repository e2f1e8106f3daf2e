package dev.neper.fleet.runner.engine;

/**
 * A worker thread's receive and send calls and bytes, as neper's io_stats counts them (every call,
 * EAGAIN included), for --iostat-ms. Written only by the worker; the client's main thread reads
 * them for its periodic lines without synchronization, as neper does: a line may be a call stale.
 */
final class IoCounters {
    long txOps;
    long txBytes;
    long rxOps;
    long rxBytes;

    /** The totals of several threads' counters. */
    static IoCounters sum(Iterable<IoCounters> all) {
        IoCounters total = new IoCounters();
        for (IoCounters c : all) {
            total.txOps += c.txOps;
            total.txBytes += c.txBytes;
            total.rxOps += c.rxOps;
            total.rxBytes += c.rxBytes;
        }
        return total;
    }
}
