package dev.neper.fleet.runner.engine;

import dev.neper.fleet.runner.cli.Options;

import java.io.IOException;

/** Opens the {@link FlowIo} of each flow of a run: the run's memory mode. */
public interface FlowIoFactory extends AutoCloseable {
    /** Called on the flow's worker thread, once per flow. */
    FlowIo open(FlowContext flow) throws IOException;

    /** The memory mode the options ask for. */
    static FlowIoFactory forOptions(Options options) {
        return switch (options.mode()) {
            case HOST -> new HostFlowIoFactory(options.numThreads(), options.bufferSize());
            case UDMABUF, CUDA -> throw new UnsupportedOperationException(
                    "--mode " + options.mode().argument() + " needs the devmem data path, which this build does not have");
        };
    }

    /** Releases what the mode holds for the run; called once all flows are closed. */
    @Override
    default void close() {
    }
}
