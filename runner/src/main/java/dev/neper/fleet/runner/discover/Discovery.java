package dev.neper.fleet.runner.discover;

import dev.neper.fleet.runner.contract.DevmemCapability;
import dev.neper.fleet.runner.contract.GpuDevice;
import dev.neper.fleet.runner.contract.NetworkDevice;
import dev.neper.fleet.runner.contract.NodeTopology;
import dev.neper.fleet.runner.doctor.Check;
import dev.neper.fleet.runner.doctor.DoctorChecks;
import dev.neper.fleet.runner.ethtool.EthtoolNetlink;
import dev.neper.fleet.runner.netdev.Netdev;
import dev.neper.fleet.runner.netdev.QueueType;
import dev.neper.fleet.runner.netlink.RouteNetlink;
import dev.neper.fleet.runner.nic.Nic;
import dev.neper.fleet.runner.sys.CpuSet;
import dev.neper.fleet.runner.topology.PciDevice;
import dev.neper.fleet.runner.topology.PciTopology;
import dev.neper.fleet.runner.topology.SysfsTree;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a node's network devices and GPUs: the devices the kernel has in this network namespace
 * (rtnetlink dumps through the runner's own netlink code: name, state, MTU, addresses; ethtool: speed;
 * netdev: RX queues; the doctor's per-link checks: header split and devmem capability), joined by
 * name with what sysfs says about their PCI devices (address, driver, NUMA node, local CPUs, nearest
 * GPUs). A device only a copied sysfs tree has (--sysfs-root) is listed too, with the facts sysfs
 * holds and no kernel checks; the live /sys adds no devices, since it may show another network
 * namespace's.
 */
public final class Discovery {
    private Discovery() {
    }

    public static NodeTopology discover(SysfsTree sysfs, String kernelRelease, String runnerVersion) throws IOException {
        PciTopology pci = PciTopology.read(sysfs);
        Map<String, RouteNetlink.Link> links = new LinkedHashMap<>();
        Map<Integer, List<String>> addresses = new LinkedHashMap<>();
        try (RouteNetlink route = RouteNetlink.open()) {
            for (RouteNetlink.Link link : route.links()) {
                links.put(link.name(), link);
            }
            for (RouteNetlink.Address address : route.addresses()) {
                addresses.computeIfAbsent(address.index(), i -> new ArrayList<>()).add(address.text());
            }
        }
        List<String> names = new ArrayList<>(links.keySet());
        if (!sysfs.isLive()) {
            // the live /sys may be another network namespace's; a copy names the devices it describes
            pci.networkDevices().stream().filter(n -> !links.containsKey(n)).forEach(names::add);
        }
        List<NetworkDevice> devices = new ArrayList<>();
        for (String name : names) {
            RouteNetlink.Link link = links.get(name);
            devices.add(link != null ? kernelDevice(link, addresses.getOrDefault(link.index(), List.of()), pci,
                    kernelRelease) : sysfsDevice(name, pci));
        }
        List<GpuDevice> gpus = pci.gpus().stream().map(g -> new GpuDevice(g.address(), g.deviceId(), g.numaNode()))
                .toList();
        return new NodeTopology(NodeTopology.SCHEMA_VERSION, runnerVersion, kernelRelease, devices, gpus, false, List.of());
    }

    private static NetworkDevice kernelDevice(RouteNetlink.Link link, List<String> addresses, PciTopology pci,
                                              String kernelRelease) {
        Optional<PciDevice> nic = pci.nicOf(link.name())
                .or(() -> "pci".equals(link.parentBus()) ? pci.device(link.parentDevice()) : Optional.empty());
        String pciAddress = nic.map(PciDevice::address)
                .orElse("pci".equals(link.parentBus()) ? link.parentDevice() : null);
        boolean loopback = link.type() == RouteNetlink.ARPHRD_LOOPBACK;
        List<Check> checks = loopback ? List.of() : DoctorChecks.devmemCapability(link.name(), kernelRelease);
        DevmemCapability devmem = loopback ? new DevmemCapability(false, List.of("loopback: carries no devmem"))
                : capability(checks);
        PciTopology.Nearest nearest = nic.map(pci::nearestGpus).orElse(PciTopology.Nearest.NONE);
        return new NetworkDevice(link.name(), link.index(), link.operstate(), speed(link.name()), link.mtu(), addresses,
                pci.sysfs().linkName("class/net/" + link.name() + "/device/driver").orElseGet(() -> driver(link)), pciAddress,
                nic.map(PciDevice::numaNode).orElse(null), nic.map(d -> cpus(d.localCpus())).orElse(null),
                rxQueues(link), headerSplit(checks), nearest.gpus().stream().map(PciDevice::address).toList(),
                nearest.match(), devmem);
    }

    private static NetworkDevice sysfsDevice(String name, PciTopology pci) {
        SysfsTree sysfs = pci.sysfs();
        String base = "class/net/" + name + "/";
        Optional<PciDevice> nic = pci.nicOf(name);
        PciTopology.Nearest nearest = nic.map(pci::nearestGpus).orElse(PciTopology.Nearest.NONE);
        Integer speed = sysfs.read(base + "speed").map(Integer::parseInt).filter(s -> s > 0).orElse(null);
        int rxQueues = (int) sysfs.list(base + "queues").stream().filter(q -> q.startsWith("rx-")).count();
        return new NetworkDevice(name, null, sysfs.read(base + "operstate").orElse(null), speed,
                sysfs.read(base + "mtu").map(Integer::parseInt).orElse(null), List.of(),
                sysfs.linkName(base + "device/driver").orElse(null), nic.map(PciDevice::address).orElse(null),
                nic.map(PciDevice::numaNode).orElse(null), nic.map(d -> cpus(d.localCpus())).orElse(null),
                rxQueues > 0 ? rxQueues : null, null, nearest.gpus().stream().map(PciDevice::address).toList(),
                nearest.match(), new DevmemCapability(null,
                List.of("not checked: " + name + " is in the sysfs tree only, not in this network namespace")));
    }

    private static String cpus(List<Integer> cpus) {
        return cpus.isEmpty() ? null : CpuSet.format(cpus);
    }

    private static Integer speed(String device) {
        try (EthtoolNetlink ethtool = EthtoolNetlink.open()) {
            return ethtool.speedMbps(device);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * A device's driver as ethtool names it ("veth"), for a device without a driver link in sysfs (the
     * driver of the device class/net/DEV/device leads to: gve, or virtio_net under virtio-pci); its
     * rtnetlink kind when ethtool has none.
     */
    private static String driver(RouteNetlink.Link link) {
        try {
            String driver = Nic.resolve(link.name()).driver();
            return driver.equals("unknown") ? link.kind() : driver;
        } catch (IOException e) {
            return link.kind();
        }
    }

    /** The RX queues netdev reports (the ones bind-rx takes ids of); rtnetlink's allocated count otherwise. */
    private static Integer rxQueues(RouteNetlink.Link link) {
        try (Netdev netdev = Netdev.open()) {
            return (int) netdev.queues(link.index()).stream().filter(q -> q.type() == QueueType.RX).count();
        } catch (IOException e) {
            return link.rxQueues();
        }
    }

    /** The doctor's header-split check: PASS has it, FAIL has not, WARN (reported as nothing) cannot tell. */
    private static Boolean headerSplit(List<Check> checks) {
        return checks.stream().filter(c -> c.name().equals("header-split")).findFirst().map(c -> switch (c.status()) {
            case PASS -> Boolean.TRUE;
            case FAIL -> Boolean.FALSE;
            default -> null;
        }).orElse(null);
    }

    static DevmemCapability capability(List<Check> checks) {
        boolean failed = checks.stream().anyMatch(c -> c.status() == Check.Status.FAIL);
        boolean undecided = checks.stream().anyMatch(c -> c.status() == Check.Status.WARN);
        List<String> problems = checks.stream().filter(c -> c.status() == Check.Status.FAIL
                || c.status() == Check.Status.WARN).map(c -> c.name() + ": " + c.detail()).toList();
        return new DevmemCapability(failed ? Boolean.FALSE : undecided ? null : Boolean.TRUE, problems);
    }
}
