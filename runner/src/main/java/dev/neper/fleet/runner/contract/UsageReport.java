package dev.neper.fleet.runner.contract;

import dev.neper.fleet.runner.sys.Rusage;

/** Process resource usage at the first data event and at the end of the run. */
public record UsageReport(Rusage start, Rusage end) {
    /** CPU seconds (user + system) spent between start and end. */
    public double cpuSeconds() {
        return ((end.utimeMicros() - start.utimeMicros()) + (end.stimeMicros() - start.stimeMicros())) / 1e6;
    }
}
