package dev.neper.fleet.runner.devmem;

/** One flow's devmem counters, written by its worker thread, read once the workers have stopped. */
public final class DevmemCounters {
    long devmemBytes;
    long linearBytes;
    long fragments;
    long fragmentsReturned;
    long zerocopySends;
    long completedSends;
    long copiedSends;
    long controlTruncations;

    public long devmemBytes() {
        return devmemBytes;
    }

    public long linearBytes() {
        return linearBytes;
    }

    public long fragments() {
        return fragments;
    }

    public long fragmentsReturned() {
        return fragmentsReturned;
    }

    public long zerocopySends() {
        return zerocopySends;
    }

    public long completedSends() {
        return completedSends;
    }

    public long copiedSends() {
        return copiedSends;
    }

    public long controlTruncations() {
        return controlTruncations;
    }
}
