package dev.neper.fleet.runner.topology;

import dev.neper.fleet.runner.log.RunLog;
import dev.neper.fleet.runner.sys.CpuSet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The PCI side of a node as sysfs shows it, the usual way: every device of bus/pci/devices is a
 * symlink into devices/pci.../BRIDGE/.../ADDRESS, whose directory has class, vendor, device,
 * numa_node and local_cpulist; class/net/DEV/device leads to a network device's PCI device (or to a
 * child of it, as for virtio). The nearest GPU of a NIC is the one under the deepest bridge it shares
 * with the NIC (two GPUs and a NIC under one PCIe switch on A3); failing that, one on its NUMA node.
 */
public final class PciTopology {
    private static final Pattern PCI_ADDRESS = Pattern.compile("[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]");

    private final SysfsTree sysfs;
    private final Map<String, PciDevice> devices;

    private PciTopology(SysfsTree sysfs, Map<String, PciDevice> devices) {
        this.sysfs = sysfs;
        this.devices = devices;
    }

    public static PciTopology read(SysfsTree sysfs) {
        Map<String, PciDevice> devices = new LinkedHashMap<>();
        for (String name : sysfs.list("bus/pci/devices")) {
            try {
                sysfs.resolve("bus/pci/devices/" + name).flatMap(path -> device(sysfs, path))
                        .ifPresent(d -> devices.put(d.address().toLowerCase(), d));
            } catch (IllegalArgumentException e) {
                RunLog.warn("sysfs: PCI device " + name + " left out: " + e.getMessage());
            }
        }
        return new PciTopology(sysfs, devices);
    }

    private static Optional<PciDevice> device(SysfsTree sysfs, String path) {
        List<String> chain = new ArrayList<>();
        for (String part : path.split("/")) {
            if (PCI_ADDRESS.matcher(part).matches()) {
                chain.add(part.toLowerCase());
            }
        }
        if (chain.isEmpty()) {
            return Optional.empty();
        }
        String address = chain.removeLast();
        Integer numa = sysfs.read(path + "/numa_node").map(Integer::parseInt).filter(n -> n >= 0).orElse(null);
        List<Integer> cpus = sysfs.read(path + "/local_cpulist").map(CpuSet::parse)
                .or(() -> numa == null ? Optional.empty() : sysfs.read("devices/system/node/node" + numa + "/cpulist")
                        .map(CpuSet::parse))
                .orElse(List.of());
        return Optional.of(new PciDevice(address, chain, hex(sysfs.read(path + "/class")), hex(sysfs.read(path + "/vendor")),
                sysfs.read(path + "/device").orElse(null), numa, cpus, sysfs.linkName(path + "/driver").orElse(null)));
    }

    private static int hex(Optional<String> text) {
        return text.map(t -> Integer.parseInt(t.startsWith("0x") ? t.substring(2) : t, 16)).orElse(-1);
    }

    public SysfsTree sysfs() {
        return sysfs;
    }

    public Optional<PciDevice> device(String address) {
        return address == null ? Optional.empty() : Optional.ofNullable(devices.get(address.toLowerCase()));
    }

    /** The NVIDIA GPUs, by PCI address. */
    public List<PciDevice> gpus() {
        return devices.values().stream().filter(PciDevice::isNvidiaGpu).sorted(Comparator.comparing(PciDevice::address))
                .toList();
    }

    /** The network devices sysfs lists (class/net), sorted. */
    public List<String> networkDevices() {
        return sysfs.list("class/net");
    }

    /** The PCI device of a network device: where class/net/DEV/device leads, or its nearest PCI parent. */
    public Optional<PciDevice> nicOf(String networkDevice) {
        Optional<String> path = sysfs.resolve("class/net/" + networkDevice + "/device");
        if (path.isEmpty()) {
            return Optional.empty();
        }
        String[] parts = path.get().split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            if (PCI_ADDRESS.matcher(parts[i]).matches()) {
                return device(parts[i]);
            }
        }
        return Optional.empty();
    }

    /** The nearest GPUs of a PCI device and why: the ones under the deepest shared bridge, else on its NUMA node. */
    public record Nearest(List<PciDevice> gpus, String match) {
        public static final Nearest NONE = new Nearest(List.of(), null);
    }

    public Nearest nearestGpus(PciDevice nic) {
        List<PciDevice> gpus = gpus();
        int deepest = gpus.stream().mapToInt(nic::sharedBridges).max().orElse(0);
        if (deepest > 0) {
            return new Nearest(gpus.stream().filter(g -> nic.sharedBridges(g) == deepest).toList(),
                    "pcie-bridge " + nic.bridges().get(deepest - 1));
        }
        if (nic.numaNode() != null) {
            List<PciDevice> local = gpus.stream().filter(g -> nic.numaNode().equals(g.numaNode())).toList();
            if (!local.isEmpty()) {
                return new Nearest(local, "numa " + nic.numaNode());
            }
        }
        return Nearest.NONE;
    }

    /**
     * Every GPU ranked for a NIC, nearest first: more shared bridges, then the same NUMA node, then by
     * address.
     */
    public List<PciDevice> gpusByDistance(PciDevice nic) {
        Comparator<PciDevice> bridges = Comparator.comparingInt(nic::sharedBridges);
        Comparator<PciDevice> numa = Comparator.comparing(g -> nic.numaNode() != null && nic.numaNode().equals(g.numaNode()));
        return gpus().stream().sorted(bridges.reversed().thenComparing(numa.reversed())
                .thenComparing(PciDevice::address)).toList();
    }

    /** The CPUs the system has online (devices/system/cpu/online); empty when sysfs does not say. */
    public List<Integer> onlineCpus() {
        return sysfs.read("devices/system/cpu/online").map(CpuSet::parse).orElse(List.of());
    }
}
