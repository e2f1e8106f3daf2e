package dev.neper.fleet.runner.topology;

import dev.neper.fleet.runner.contract.LinkPlacement;
import dev.neper.fleet.runner.sys.CpuSet;
import dev.neper.fleet.runner.testing.SysfsFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The map on A3 High and A3 Mega fixtures: each link's NIC from its device, its nearest GPU (distinct
 * per link), a block of its NIC's NUMA-local CPUs disjoint from the other links'; what a link gives wins.
 * For A3 High this is multi_neper.py's hand-written table (GPU 0, 2, 4, 6 for eth1-eth4).
 */
class PlacementsTest {
    private static final List<Integer> ALL = IntStream.rangeClosed(0, 207).boxed().toList();

    private static PciTopology fixture(String name, Path dir) {
        return PciTopology.read(SysfsTree.at(SysfsFixture.build(name, dir)));
    }

    private static List<Placements.Request> links(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> new Placements.Request("eth" + i, null, null, null)).toList();
    }

    private static List<LinkPlacement> plan(PciTopology pci, List<Placements.Request> links, int threads) {
        return Placements.plan(links, pci, new Placements.Settings(true, threads, false, ALL));
    }

    @Test
    void a3HighIsMultiNepersTable(@TempDir Path dir) {
        PciTopology pci = fixture("a3-high.sysfs", dir);
        assertEquals(8, pci.gpus().size(), "the QEMU VGA is not a GPU");
        List<LinkPlacement> map = plan(pci, links(4), 2);
        assertEquals(List.of("0000:06:00.0", "0000:0c:00.0", "0000:86:00.0", "0000:8c:00.0"),
                map.stream().map(LinkPlacement::nic).toList());
        assertEquals(List.of("0000:04:00.0", "0000:0a:00.0", "0000:84:00.0", "0000:8a:00.0"),
                map.stream().map(LinkPlacement::gpu).toList());
        assertEquals(List.of("0-1", "2-3", "52-53", "54-55"), map.stream().map(LinkPlacement::cpus).toList());
        LinkPlacement eth1 = map.getFirst();
        assertEquals("eth1's PCI device in sysfs", eth1.nicReason());
        assertEquals("nearest (shares PCIe bridge 0000:01:00.0 with the NIC)", eth1.gpuReason());
        assertEquals("local to the NIC on NUMA node 0", eth1.cpuReason());
    }

    @Test
    void a3MegaGivesTheTwoNicsOfASwitchItsTwoGpus(@TempDir Path dir) {
        PciTopology pci = fixture("a3-mega.sysfs", dir);
        List<LinkPlacement> map = plan(pci, links(8), 1);
        assertEquals(List.of("0000:04:00.0", "0000:05:00.0", "0000:0a:00.0", "0000:0b:00.0", "0000:84:00.0",
                "0000:85:00.0", "0000:8a:00.0", "0000:8b:00.0"), map.stream().map(LinkPlacement::gpu).toList());
        assertEquals(List.of("0", "1", "2", "3", "52", "53", "54", "55"), map.stream().map(LinkPlacement::cpus).toList());
        assertEquals(8, map.stream().map(LinkPlacement::gpu).distinct().count());
    }

    /** Explicit choices win and are kept from the others: eth2 given GPU 0a, eth1 keeps 04; given CPUs are avoided. */
    @Test
    void givenChoicesWin(@TempDir Path dir) {
        PciTopology pci = fixture("a3-mega.sysfs", dir);
        List<Placements.Request> links = List.of(new Placements.Request("eth1", null, "0000:05:00.0", null),
                new Placements.Request("eth2", "0000:07:00.0", null, "0-1"), new Placements.Request("eth3", null, null, null));
        List<LinkPlacement> map = plan(pci, links, 2);
        assertEquals("0000:05:00.0", map.get(0).gpu());
        assertEquals("given (gpu=)", map.get(0).gpuReason());
        assertEquals("0000:04:00.0", map.get(1).gpu(), "eth2's other nearest GPU");
        assertEquals("given (nic=)", map.get(1).nicReason());
        assertEquals("0-1", map.get(1).cpus());
        assertEquals("given (cpus=)", map.get(1).cpuReason());
        assertEquals("2-3", map.get(0).cpus(), "eth1's block avoids eth2's given CPUs");
        assertEquals("4-5", map.get(2).cpus());
    }

    /** Three links on one switch's two GPUs: the third gets the nearest free one, and the map says why. */
    @Test
    void moreLinksThanNearestGpus(@TempDir Path dir) {
        PciTopology pci = fixture("a3-mega.sysfs", dir);
        List<Placements.Request> links = List.of(new Placements.Request("eth1", null, "0000:04:00.0", null),
                new Placements.Request("eth2", null, "0000:05:00.0", null), new Placements.Request("eth0", null, null, null));
        List<LinkPlacement> map = plan(pci, links, 1);
        assertEquals("0000:0a:00.0", map.get(2).gpu());
        assertEquals("nearest (on the NIC's NUMA node 0)", map.get(2).gpuReason(), "eth0 shares no switch with a GPU");
        List<Placements.Request> crowded = IntStream.range(0, 10).mapToObj(i -> new Placements.Request("eth" + (i % 8 + 1),
                null, null, null)).toList();
        List<LinkPlacement> shared = plan(pci, crowded, 1);
        assertTrue(shared.get(8).gpuReason().startsWith("shared with eth1: more links than GPUs"), shared.get(8).gpuReason());
    }

    /**
     * eth1 is as near to GPU X as to Y, eth2 only to X (they share a deeper bridge): taking X for eth1,
     * first in link order, would leave eth2 without a nearest GPU; the matching moves eth1 to Y.
     */
    @Test
    void theMatchingGivesEveryLinkANearestGpuWhereOneExists(@TempDir Path dir) {
        PciTopology pci = PciTopology.read(SysfsTree.at(SysfsFixture.describe("""
                node 0 0-7
                pci pci0000:00/0000:00:01.0/0000:01:00.0/0000:02:00.0/0000:03:00.0/0000:04:00.0 class=0x030200 vendor=0x10de numa=0
                pci pci0000:00/0000:00:01.0/0000:01:00.0/0000:02:00.0/0000:03:00.0/0000:05:00.0 class=0x020000 vendor=0x1ae0 numa=0
                pci pci0000:00/0000:00:01.0/0000:01:00.0/0000:02:01.0/0000:06:00.0 class=0x030200 vendor=0x10de numa=0
                pci pci0000:00/0000:00:01.0/0000:01:00.0/0000:02:02.0/0000:07:00.0 class=0x020000 vendor=0x1ae0 numa=0
                net eth1 0000:07:00.0
                net eth2 0000:05:00.0
                """, dir)));
        List<LinkPlacement> map = plan(pci, links(2), 1);
        assertEquals(List.of("0000:06:00.0", "0000:04:00.0"), map.stream().map(LinkPlacement::gpu).toList());
        assertEquals("nearest (shares PCIe bridge 0000:03:00.0 with the NIC)", map.get(1).gpuReason());
    }

    @Test
    void aCrowdedNumaNodeSplitsItsCpusAndSaysSo(@TempDir Path dir) {
        PciTopology pci = fixture("a3-high.sysfs", dir);
        List<Integer> few = CpuSet.parse("0-2,52-55");
        List<LinkPlacement> map = Placements.plan(links(2), pci, new Placements.Settings(true, 2, false, few));
        assertEquals(List.of("0", "1"), map.stream().map(LinkPlacement::cpus).toList());
        assertTrue(map.getFirst().cpuReason().contains("1 CPU(s) for 2 threads: 2 links share 3"), map.getFirst().cpuReason());
    }

    /** Virtual devices: no NIC, GPUs in order, and threads run anywhere unless -U pins them to disjoint blocks. */
    @Test
    void virtualDevicesRunAnywhereUnlessPinned(@TempDir Path dir) {
        PciTopology none = PciTopology.read(SysfsTree.at(dir));
        List<LinkPlacement> free = Placements.plan(links(2), none, new Placements.Settings(false, 1, false, List.of(0, 1)));
        assertNull(free.getFirst().nic());
        assertEquals("eth1 has no PCI device in sysfs (a virtual device)", free.getFirst().nicReason());
        assertNull(free.getFirst().cpus());
        assertEquals("this mode uses no GPU", free.getFirst().gpuReason());
        List<LinkPlacement> pinned = Placements.plan(links(2), none, new Placements.Settings(true, 1, true, List.of(0, 1)));
        assertEquals(List.of("0", "1"), pinned.stream().map(LinkPlacement::cpus).toList());
        assertTrue(pinned.getFirst().cpuReason().startsWith("-U: a block of the allowed CPUs"), pinned.getFirst().cpuReason());
        assertEquals("no NVIDIA GPU in sysfs: the run uses CUDA's first visible GPU", pinned.getFirst().gpuReason());
    }
}
