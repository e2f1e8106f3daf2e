package dev.neper.fleet.runner.contract;

import java.util.List;

/**
 * What {@code neper-runner discover} found on a node: its network devices with their addresses and
 * PCI placement, and its GPUs. The same record is the full document ({@code discover --json}) and,
 * shortened by {@link NodeTopologies#compact} to fit {@link #MAX_BYTES}, the termination message a
 * discover pod leaves for the operator; {@code truncated} says details were left out and
 * {@code omitted} names devices left out; {@code preflight} is the memory mode's host-wide checks when
 * discover was asked for them (null otherwise). Readers ignore fields newer than they know.
 */
public record NodeTopology(int schemaVersion, String runnerVersion, String kernel, List<NetworkDevice> devices,
                           List<GpuDevice> gpus, boolean truncated, List<String> omitted, Preflight preflight) {
    public static final int SCHEMA_VERSION = 1;
    /** The kubelet's limit on a container's termination message, as for {@link NodeSummary}. */
    public static final int MAX_BYTES = NodeSummary.MAX_BYTES;

    public NodeTopology {
        devices = devices == null ? List.of() : List.copyOf(devices);
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
        omitted = omitted == null ? List.of() : List.copyOf(omitted);
    }

    public NodeTopology(int schemaVersion, String runnerVersion, String kernel, List<NetworkDevice> devices,
                        List<GpuDevice> gpus, boolean truncated, List<String> omitted) {
        this(schemaVersion, runnerVersion, kernel, devices, gpus, truncated, omitted, null);
    }

    public NodeTopology withPreflight(Preflight checked) {
        return new NodeTopology(schemaVersion, runnerVersion, kernel, devices, gpus, truncated, omitted, checked);
    }
}
