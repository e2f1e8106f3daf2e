package dev.neper.fleet.runner.contract;

/**
 * Where one link of a multi-link run runs, each choice with why: its device; the NIC's PCI address
 * (given as nic=, or the device's PCI device in sysfs); the GPU (cuda only: given as gpu=, or the
 * nearest one by PCIe topology, distinct between links where possible); the CPUs its threads run on
 * ({@code cpus} in neper's list format, null when the threads may run on any allowed CPU).
 */
public record LinkPlacement(String device, String nic, String nicReason, String gpu, String gpuReason, String cpus,
                            String cpuReason) {
    /** One line: "device eth1, nic 0000:06:00.0 (why), gpu 0000:04:00.0 (why), cpus 0-1 (why)". */
    public String describe() {
        return "device " + device + ", nic " + (nic == null ? "none" : nic) + " (" + nicReason + "), gpu "
                + (gpu == null ? "none" : gpu) + " (" + gpuReason + "), cpus " + (cpus == null ? "any" : cpus) + " ("
                + cpuReason + ")";
    }
}
