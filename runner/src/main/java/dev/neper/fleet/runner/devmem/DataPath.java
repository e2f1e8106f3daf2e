package dev.neper.fleet.runner.devmem;

import dev.neper.fleet.runner.cli.Options;
import dev.neper.fleet.runner.engine.FlowIoFactory;
import dev.neper.fleet.runner.engine.HostFlowIoFactory;
import dev.neper.fleet.runner.nic.NicRecordStore;

import java.io.IOException;

/** The run's data path for its --mode: host memory, or a devmem setup (which wraps the run: NIC setup and restore). */
public final class DataPath {
    private DataPath() {
    }

    public static FlowIoFactory open(Options options) throws IOException {
        if (!options.mode().isDevmem() || options.dryRun()) {
            return new HostFlowIoFactory(options.numThreads(), options.bufferSize(), options.tcpdValidate());
        }
        return DevmemSetup.open(options, NicRecordStore.fromEnvironment(), System.getenv());
    }
}
