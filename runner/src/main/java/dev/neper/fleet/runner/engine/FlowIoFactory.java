package dev.neper.fleet.runner.engine;

import dev.neper.fleet.runner.contract.DevmemReport;
import dev.neper.fleet.runner.contract.RunError;
import dev.neper.fleet.runner.contract.ValidationReport;
import dev.neper.fleet.runner.contract.ZerocopyReport;

import java.io.IOException;
import java.util.List;

/** Opens the {@link FlowIo} of each flow of a run: the run's memory mode. */
public interface FlowIoFactory extends AutoCloseable {
    /** Called on the flow's worker thread, once per flow. */
    FlowIo open(FlowContext flow) throws IOException;

    /** What validation found over all flows, once the workers have stopped; null when not validating. */
    default ValidationReport validation() {
        return null;
    }

    /** The devmem counters over all flows, once the workers have stopped; null in host memory mode. */
    default DevmemReport devmem() {
        return null;
    }

    /** Host memory's zerocopy counters over all flows; null unless the run sends or receives zerocopy. */
    default ZerocopyReport zerocopy() {
        return null;
    }

    /** Errors the mode found in the data (validation mismatches, devmem protocol errors), after the run. */
    default List<RunError> errors() {
        return List.of();
    }

    /** Releases what the mode holds for the run; called once all flows are closed. */
    @Override
    default void close() {
    }
}
