package dev.neper.fleet.runner.multi;

import dev.neper.fleet.runner.testing.RunnerProcess;
import dev.neper.fleet.runner.testing.SysfsFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code links --dry-run --sysfs-root} over the A3 High and A3 Mega trees: each link's map (device, NIC,
 * GPU, CPUs, and why) and its single-link command carrying the chosen NIC and GPU.
 */
class LinkPlanDryRunTest {
    private static List<String> dryRun(Path tree, int links, String... more) {
        List<String> args = new ArrayList<>(List.of("links", "--sysfs-root", tree.toString()));
        for (int i = 1; i <= links; i++) {
            args.add("--link=eth" + i + ",192.168." + i + ".23,192.168." + i + ".26");
        }
        args.addAll(List.of(more));
        args.add("--dry-run");
        try (RunnerProcess dry = RunnerProcess.start(args)) {
            assertEquals(0, dry.awaitExit(30), dry.stderr());
            return dry.stdout().lines().toList();
        }
    }

    @Test
    void a3High(@TempDir Path dir) {
        Path tree = SysfsFixture.build("a3-high.sysfs", dir);
        List<String> lines = dryRun(tree, 4, "-c", "--mode", "cuda", "-T", "2", "-F", "2", "--num-ports", "2");
        assertEquals(8, lines.size());
        assertEquals("[eth1] map: device eth1, nic 0000:06:00.0 (eth1's PCI device in sysfs), gpu 0000:04:00.0 (nearest"
                + " (shares PCIe bridge 0000:01:00.0 with the NIC)), cpus 0-1 (local to the NIC on NUMA node 0)", lines.get(0));
        assertTrue(lines.get(1).contains("--tcpd-nic-pci-addr=0000:06:00.0") && lines.get(1).contains(
                "--tcpd-gpu-pci-addr=0000:04:00.0"), lines.get(1));
        assertEquals("[eth2] map: device eth2, nic 0000:0c:00.0 (eth2's PCI device in sysfs), gpu 0000:0a:00.0 (nearest"
                + " (shares PCIe bridge 0000:07:00.0 with the NIC)), cpus 2-3 (local to the NIC on NUMA node 0)", lines.get(2));
        assertTrue(lines.get(3).contains("--tcpd-link-name=eth2") && lines.get(3).contains(
                "--tcpd-gpu-pci-addr=0000:0a:00.0"), lines.get(3));
        assertTrue(lines.get(4).contains("gpu 0000:84:00.0") && lines.get(4).contains("cpus 52-53"), lines.get(4));
        assertTrue(lines.get(6).contains("gpu 0000:8a:00.0") && lines.get(6).contains("cpus 54-55"), lines.get(6));
    }

    @Test
    void a3Mega(@TempDir Path dir) {
        Path tree = SysfsFixture.build("a3-mega.sysfs", dir);
        List<String> lines = dryRun(tree, 8, "--mode", "cuda", "--queue-start", "1", "--queue-num", "1");
        List<String> maps = lines.stream().filter(l -> l.contains("] map: ")).toList();
        assertEquals(8, maps.size());
        List<String> gpus = List.of("04", "05", "0a", "0b", "84", "85", "8a", "8b");
        List<String> cpus = List.of("0", "1", "2", "3", "52", "53", "54", "55");
        for (int i = 0; i < 8; i++) {
            assertTrue(maps.get(i).contains("gpu 0000:" + gpus.get(i) + ":00.0 (nearest") && maps.get(i).contains(
                    "cpus " + cpus.get(i) + " (local"), maps.get(i));
        }
    }

    /** Host mode uses no GPU and passes no devmem flags; explicit attributes still win in the map. */
    @Test
    void hostModeAndExplicitChoices(@TempDir Path dir) {
        Path tree = SysfsFixture.build("a3-high.sysfs", dir);
        List<String> args = new ArrayList<>(List.of("links", "--sysfs-root", tree.toString(),
                "--link=eth1,192.168.1.23,192.168.1.26,cpus=100-101", "--link=eth3,192.168.3.23,192.168.3.26",
                "-T", "2", "-F", "2", "--dry-run"));
        try (RunnerProcess dry = RunnerProcess.start(args)) {
            assertEquals(0, dry.awaitExit(30), dry.stderr());
            List<String> lines = dry.stdout().lines().toList();
            assertEquals("[eth1] map: device eth1, nic 0000:06:00.0 (eth1's PCI device in sysfs), gpu none (this mode"
                    + " uses no GPU), cpus 100-101 (given (cpus=))", lines.get(0));
            assertTrue(lines.get(2).contains("cpus 52-53 (local to the NIC on NUMA node 1)"), lines.get(2));
            assertTrue(lines.stream().noneMatch(l -> l.contains("--tcpd-")), lines.toString());
        }
    }
}
