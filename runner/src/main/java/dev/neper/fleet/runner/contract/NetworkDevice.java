package dev.neper.fleet.runner.contract;

import java.util.List;

/**
 * One network device as discover saw it. From the kernel (rtnetlink, ethtool, netdev): {@code state}
 * (operstate: up, down, lowerlayerdown, unknown...), {@code speedMbps} (null when unknown), {@code mtu},
 * {@code addresses} ("198.18.1.1/24", "fe80::1/64"), {@code rxQueues}, {@code headerSplit} (null when
 * the driver does not say). From sysfs: {@code driver}, {@code pci} (the NIC's PCI address; null for a
 * virtual device), {@code numa} (null when unknown), {@code cpus} (its NUMA-local CPUs, as "0-51,104-155"),
 * {@code gpus} (the nearest GPUs' PCI addresses) and {@code gpuMatch}, why they are nearest
 * ("pcie-bridge 0000:01:00.0": under the deepest bridge shared with the NIC; "numa 0": same NUMA node).
 * {@code devmem}: the doctor's per-link checks.
 */
public record NetworkDevice(String name, Integer ifindex, String state, Integer speedMbps, Integer mtu,
                            List<String> addresses, String driver, String pci, Integer numa, String cpus,
                            Integer rxQueues, Boolean headerSplit, List<String> gpus, String gpuMatch,
                            DevmemCapability devmem) {
    public NetworkDevice {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
    }
}
