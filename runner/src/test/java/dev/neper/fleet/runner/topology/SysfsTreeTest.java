package dev.neper.fleet.runner.topology;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A copied sysfs tree reads like the real one: every symlink is resolved inside the copy, never outside it. */
class SysfsTreeTest {
    @Test
    void relativeAndAbsoluteLinksResolveInsideTheRoot(@TempDir Path root) throws Exception {
        Path device = Files.createDirectories(root.resolve("devices/pci0000:00/0000:00:01.0/0000:06:00.0"));
        Files.writeString(device.resolve("numa_node"), "1\n");
        Files.createDirectories(root.resolve("class/net"));
        Files.createDirectories(device.resolve("net/eth1"));
        Files.createSymbolicLink(root.resolve("class/net/eth1"), Path.of("../../devices/pci0000:00/0000:00:01.0/0000:06:00.0/net/eth1"));
        Files.createSymbolicLink(device.resolve("net/eth1/device"), Path.of("../../../0000:06:00.0"));
        Files.createSymbolicLink(root.resolve("class/net/eth2"), Path.of("/sys/devices/pci0000:00/0000:00:01.0/0000:06:00.0/net/eth1"));
        SysfsTree tree = SysfsTree.at(root);
        assertFalse(tree.isLive());
        assertEquals(Optional.of("devices/pci0000:00/0000:00:01.0/0000:06:00.0"), tree.resolve("class/net/eth1/device"));
        assertEquals(Optional.of("1"), tree.read("class/net/eth1/device/numa_node"));
        assertEquals(Optional.of("1"), tree.read("class/net/eth2/device/numa_node"), "an absolute /sys link stays in the copy");
        assertEquals(List.of("eth1", "eth2"), tree.list("class/net"));
        assertEquals(Optional.of("0000:06:00.0"), tree.linkName("class/net/eth1/device"));
    }

    @Test
    void nothingOutsideTheRootIsRead(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("copy"));
        Files.writeString(dir.resolve("secret"), "outside\n");
        Files.createSymbolicLink(root.resolve("up"), Path.of("../../../secret"));
        Files.createSymbolicLink(root.resolve("etc"), Path.of("/etc/hostname"));
        Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
        SysfsTree tree = SysfsTree.at(root);
        assertEquals(Optional.empty(), tree.read("up"), ".. stops at the root, where there is no 'secret'");
        assertEquals(Optional.empty(), tree.read("etc"), "an absolute link is read inside the copy");
        assertEquals(Optional.empty(), tree.resolve("loop"));
        assertEquals(Optional.empty(), tree.read("class/net/eth1/mtu"));
        assertTrue(tree.list("class/net").isEmpty());
    }
}
