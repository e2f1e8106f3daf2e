package dev.neper.fleet.runner.datapath;

import dev.neper.fleet.runner.contract.Options;
import dev.neper.fleet.runner.engine.FlowIoFactory;
import dev.neper.fleet.runner.engine.HostFlowIoFactory;
import dev.neper.fleet.runner.nic.NicRecordStore;
import dev.neper.fleet.runner.contract.ErrorKind;
import dev.neper.fleet.runner.contract.RunError;
import dev.neper.fleet.runner.sys.MissingSupportException;

import java.io.IOException;

/** The run's data path for its --mode: host memory, or a devmem setup (which wraps the run: NIC setup and restore). */
public final class DataPath {
    private DataPath() {
    }

    public static FlowIoFactory open(Options options) throws IOException {
        if (!options.mode().isDevmem() || options.dryRun()) {
            return new HostFlowIoFactory(options);
        }
        return DevmemSetup.open(options, NicRecordStore.fromEnvironment(), System.getenv());
    }

    /** The run error for a data path that could not be set up: UNSUPPORTED when the host lacks something. */
    public static RunError setupError(IOException e) {
        return new RunError(e instanceof MissingSupportException ? ErrorKind.UNSUPPORTED : ErrorKind.INTERNAL,
                e.getMessage());
    }
}
