package dev.neper.fleet.runner.topology;

import java.util.List;

/**
 * A PCI device as sysfs describes it: its address, its bridges from the root port down
 * ({@code bridges}, the PCI devices above it in its sysfs path), class and vendor codes, NUMA node
 * (null when sysfs says -1 or nothing), NUMA-local CPUs and bound driver (null when none).
 */
public record PciDevice(String address, List<String> bridges, int classCode, int vendor, String deviceId,
                        Integer numaNode, List<Integer> localCpus, String driver) {
    public static final int NVIDIA = 0x10de;

    public PciDevice {
        bridges = List.copyOf(bridges);
        localCpus = List.copyOf(localCpus);
    }

    /** An NVIDIA display controller: class 0x0300xx (VGA) or 0x0302xx (3D controller, as data-centre GPUs are). */
    public boolean isNvidiaGpu() {
        int baseAndSub = classCode >> 8;
        return vendor == NVIDIA && (baseAndSub == 0x0300 || baseAndSub == 0x0302);
    }

    /** How many bridges this device shares with another, from the root port down. */
    public int sharedBridges(PciDevice other) {
        int shared = 0;
        while (shared < bridges.size() && shared < other.bridges.size()
                && bridges.get(shared).equals(other.bridges.get(shared))) {
            shared++;
        }
        return shared;
    }
}
