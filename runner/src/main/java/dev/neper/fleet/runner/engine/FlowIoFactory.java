package dev.neper.fleet.runner.engine;

import java.io.IOException;

/** Opens the {@link FlowIo} of each flow of a run: the run's memory mode. */
public interface FlowIoFactory extends AutoCloseable {
    /** Called on the flow's worker thread, once per flow. */
    FlowIo open(FlowContext flow) throws IOException;

    /** Releases what the mode holds for the run; called once all flows are closed. */
    @Override
    default void close() {
    }
}
