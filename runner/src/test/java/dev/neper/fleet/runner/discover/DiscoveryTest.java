package dev.neper.fleet.runner.discover;

import dev.neper.fleet.runner.contract.NetworkDevice;
import dev.neper.fleet.runner.contract.NodeTopologies;
import dev.neper.fleet.runner.contract.NodeTopology;
import dev.neper.fleet.runner.contract.ReportJson;
import dev.neper.fleet.runner.sys.KernelVersion;
import dev.neper.fleet.runner.testing.InNetns;
import dev.neper.fleet.runner.testing.NetnsPair;
import dev.neper.fleet.runner.testing.SysfsFixture;
import dev.neper.fleet.runner.topology.SysfsTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * discover against the real kernel in network namespaces (veth, lo), alone and joined by name with
 * the A3 High and A3 Mega sysfs fixtures: kernel facts from rtnetlink, ethtool and netdev, PCI facts
 * from the tree, devmem capability from the doctor's checks.
 */
class DiscoveryTest {
    private static NodeTopology discover(NetnsPair pair, SysfsTree sysfs) throws Exception {
        String release = KernelVersion.runningRelease();
        return InNetns.call(pair.namespaceA(), () -> Discovery.discover(sysfs, release, "test"));
    }

    private static Map<String, NetworkDevice> byName(NodeTopology t) {
        return t.devices().stream().collect(Collectors.toMap(NetworkDevice::name, Function.identity()));
    }

    @Test
    void aNamespaceWithAVethAndLoopback() throws Exception {
        try (NetnsPair pair = NetnsPair.create("disc", 43)) {
            NodeTopology t = discover(pair, SysfsTree.live());
            Map<String, NetworkDevice> devices = byName(t);
            assertEquals(List.of("lo", "eth1"), t.devices().stream().map(NetworkDevice::name).toList());
            NetworkDevice eth1 = devices.get("eth1");
            assertEquals("up", eth1.state());
            assertEquals(10000, eth1.speedMbps(), "veth reports 10 Gb/s");
            assertEquals(1500, eth1.mtu());
            assertEquals(pair.addressA() + "/24", eth1.addresses().getFirst());
            assertEquals("veth", eth1.driver());
            assertNull(eth1.pci());
            assertNull(eth1.numa());
            assertEquals(1, eth1.rxQueues());
            assertEquals(Boolean.FALSE, eth1.headerSplit());
            assertTrue(eth1.gpus().isEmpty());
            assertEquals(Boolean.FALSE, eth1.devmem().capable());
            assertTrue(eth1.devmem().problems().contains(
                    "devmem-rx: eth1: driver veth has no devmem RX queue API (bind-rx EOPNOTSUPP)"), eth1.devmem().problems().toString());
            NetworkDevice lo = devices.get("lo");
            assertEquals(List.of("127.0.0.1/8", "::1/128"), lo.addresses());
            assertEquals(Boolean.FALSE, lo.devmem().capable());
            assertEquals(List.of(), t.gpus(), "this machine has no GPU");
            assertEquals(NodeTopology.SCHEMA_VERSION, t.schemaVersion());
        }
    }

    /** The A3 High tree over four veths named as its NICs: PCI facts from the tree, the rest from the kernel. */
    @Test
    void a3HighJoinedWithTheNamespacesDevices(@TempDir Path dir) throws Exception {
        SysfsTree tree = SysfsTree.at(SysfsFixture.build("a3-high.sysfs", dir));
        try (NetnsPair pair = NetnsPair.create("disc", 44, 4)) {
            NodeTopology t = discover(pair, tree);
            Map<String, NetworkDevice> devices = byName(t);
            assertEquals(List.of("lo", "eth1", "eth2", "eth3", "eth4", "eth0"),
                    t.devices().stream().map(NetworkDevice::name).toList(), "the tree's eth0 after the kernel's devices");
            NetworkDevice eth1 = devices.get("eth1");
            assertEquals("0000:06:00.0", eth1.pci());
            assertEquals("gve", eth1.driver(), "the tree's driver for its PCI device");
            assertEquals(0, eth1.numa());
            assertEquals("0-51,104-155", eth1.cpus());
            assertEquals(List.of("0000:04:00.0", "0000:05:00.0"), eth1.gpus());
            assertEquals("pcie-bridge 0000:01:00.0", eth1.gpuMatch());
            assertEquals(pair.addressA(1) + "/24", eth1.addresses().getFirst(), "addresses from the kernel");
            assertEquals(1500, eth1.mtu());
            NetworkDevice eth3 = devices.get("eth3");
            assertEquals(List.of("0000:84:00.0", "0000:85:00.0"), eth3.gpus());
            assertEquals("52-103,156-207", eth3.cpus());
            NetworkDevice eth0 = devices.get("eth0");
            assertNull(eth0.ifindex(), "not in the namespace");
            assertEquals(8896, eth0.mtu());
            assertEquals(100000, eth0.speedMbps());
            assertEquals(16, eth0.rxQueues());
            assertEquals("numa 0", eth0.gpuMatch(), "on the root complex: no shared bridge, so the NUMA node");
            assertEquals(List.of("0000:04:00.0", "0000:05:00.0", "0000:0a:00.0", "0000:0b:00.0"), eth0.gpus());
            assertNull(eth0.devmem().capable());
            assertEquals(8, t.gpus().size());
            assertEquals("0x2330", t.gpus().getFirst().deviceId());
        }
    }

    /** A3 Mega's 8 NICs and 8 GPUs: the compact form a termination message holds keeps every NIC's placement. */
    @Test
    void a3MegaFitsATerminationMessage(@TempDir Path dir) throws Exception {
        SysfsTree tree = SysfsTree.at(SysfsFixture.build("a3-mega.sysfs", dir));
        try (NetnsPair pair = NetnsPair.create("disc", 48, 8)) {
            NodeTopology full = discover(pair, tree);
            Map<String, NetworkDevice> devices = byName(full);
            assertEquals(List.of("0000:04:00.0", "0000:05:00.0"), devices.get("eth2").gpus());
            assertEquals(List.of("0000:8a:00.0", "0000:8b:00.0"), devices.get("eth8").gpus());
            NodeTopology compact = NodeTopologies.compact(full);
            assertTrue(NodeTopologies.bytes(compact) <= NodeTopology.MAX_BYTES, NodeTopologies.bytes(compact) + " bytes");
            assertTrue(compact.omitted().contains("lo"));
            NodeTopology read = ReportJson.fromJson(ReportJson.toCompactJson(compact), NodeTopology.class);
            Map<String, NetworkDevice> kept = byName(read);
            for (int i = 1; i <= 8; i++) {
                NetworkDevice nic = kept.get("eth" + i);
                assertFalse(nic.gpus().isEmpty(), "eth" + i);
                assertTrue(nic.pci() != null && nic.cpus() != null && !nic.addresses().isEmpty(), nic.toString());
            }
            assertEquals(8, read.gpus().size());
        }
    }
}
