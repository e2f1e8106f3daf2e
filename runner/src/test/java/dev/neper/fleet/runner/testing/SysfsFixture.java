package dev.neper.fleet.runner.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds a sysfs tree, as a real directory tree with relative symlinks the way the kernel lays them
 * out, from a compact description (src/test/resources/topology/*.sysfs), one directive a line:
 * <pre>
 * cpus 0-207                           devices/system/cpu/online
 * node 0 0-51,104-155                  devices/system/node/node0/cpulist (and the local_cpulist of its devices)
 * pci pci0000:00/0000:00:01.0/.../0000:04:00.0 class=0x030200 vendor=0x10de device=0x2330 numa=0 driver=nvidia
 * net eth1 0000:06:00.0 [mtu=8244] [speed=200000] [queues=16] [operstate=up]   (or "virtual" for no device)
 * </pre>
 * A bridge on a pci path without a line of its own is a PCI bridge (class 0x060400) on its child's
 * NUMA node. Every PCI device appears in bus/pci/devices, its driver in bus/pci/drivers.
 */
public final class SysfsFixture {
    private static final Pattern PCI_ADDRESS = Pattern.compile("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");

    private final Path root;
    private final Map<String, String> nodeCpus = new HashMap<>();
    private final Map<String, String> pathOf = new LinkedHashMap<>();

    private SysfsFixture(Path root) {
        this.root = root;
    }

    /** Builds the tree a resource under /topology/ describes into {@code root}; returns root. */
    public static Path build(String resource, Path root) {
        try (InputStream in = SysfsFixture.class.getResourceAsStream("/topology/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource /topology/" + resource);
            }
            return describe(new String(in.readAllBytes(), StandardCharsets.UTF_8), root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds the tree a description (the resource format) gives into {@code root}; returns root. */
    public static Path describe(String description, Path root) {
        SysfsFixture fixture = new SysfsFixture(root);
        try {
            for (String line : description.split("\n")) {
                String trimmed = line.strip();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    fixture.directive(List.of(trimmed.split("\\s+")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }

    private void directive(List<String> words) throws IOException {
        switch (words.getFirst()) {
            case "cpus" -> write("devices/system/cpu/online", words.get(1));
            case "node" -> {
                nodeCpus.put(words.get(1), words.get(2));
                write("devices/system/node/node" + words.get(1) + "/cpulist", words.get(2));
            }
            case "pci" -> pci(words.get(1), keys(words.subList(2, words.size())));
            case "net" -> net(words.get(1), words.get(2), keys(words.subList(3, words.size())));
            default -> throw new IllegalArgumentException("unknown fixture directive: " + String.join(" ", words));
        }
    }

    private static Map<String, String> keys(List<String> words) {
        Map<String, String> keys = new HashMap<>();
        for (String word : words) {
            int eq = word.indexOf('=');
            keys.put(word.substring(0, eq), word.substring(eq + 1));
        }
        return keys;
    }

    private void pci(String path, Map<String, String> keys) throws IOException {
        String[] parts = path.split("/");
        String numa = keys.getOrDefault("numa", "-1");
        StringBuilder at = new StringBuilder("devices/" + parts[0]);
        Files.createDirectories(root.resolve(at.toString()));
        for (int i = 1; i < parts.length; i++) {
            at.append('/').append(parts[i]);
            boolean last = i == parts.length - 1;
            if (!PCI_ADDRESS.matcher(parts[i]).matches()) {
                throw new IllegalArgumentException("not a PCI address: " + parts[i] + " in " + path);
            }
            if (!last && pathOf.containsKey(parts[i])) {
                continue;
            }
            Map<String, String> device = last ? keys : Map.of("class", "0x060400", "vendor", "0x8086", "numa", numa);
            device(parts[i], at.toString(), device);
        }
    }

    private void device(String address, String path, Map<String, String> keys) throws IOException {
        pathOf.put(address, path);
        write(path + "/class", keys.getOrDefault("class", "0x000000"));
        write(path + "/vendor", keys.getOrDefault("vendor", "0x0000"));
        write(path + "/device", keys.getOrDefault("device", "0x0000"));
        String numa = keys.getOrDefault("numa", "-1");
        write(path + "/numa_node", numa);
        if (nodeCpus.containsKey(numa)) {
            write(path + "/local_cpulist", nodeCpus.get(numa));
        }
        link("bus/pci/devices/" + address, path);
        if (keys.containsKey("driver")) {
            Files.createDirectories(root.resolve("bus/pci/drivers/" + keys.get("driver")));
            link(path + "/driver", "bus/pci/drivers/" + keys.get("driver"));
        }
    }

    private void net(String name, String device, Map<String, String> keys) throws IOException {
        String dir;
        if (device.equals("virtual")) {
            dir = "devices/virtual/net/" + name;
            Files.createDirectories(root.resolve(dir));
        } else {
            String pci = pathOf.get(device);
            if (pci == null) {
                throw new IllegalArgumentException("net " + name + ": no pci line for " + device);
            }
            dir = pci + "/net/" + name;
            Files.createDirectories(root.resolve(dir));
            link(dir + "/device", pci);
        }
        write(dir + "/operstate", keys.getOrDefault("operstate", "up"));
        write(dir + "/mtu", keys.getOrDefault("mtu", "1500"));
        write(dir + "/speed", keys.getOrDefault("speed", "-1"));
        for (int q = 0; q < Integer.parseInt(keys.getOrDefault("queues", "1")); q++) {
            Files.createDirectories(root.resolve(dir + "/queues/rx-" + q));
        }
        link("class/net/" + name, dir);
    }

    private void write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content + "\n");
    }

    /** A relative symlink at {@code link} to {@code target}, both relative to the root, as sysfs has them. */
    private void link(String link, String target) throws IOException {
        Path at = root.resolve(link);
        Files.createDirectories(at.getParent());
        Files.createSymbolicLink(at, at.getParent().relativize(root.resolve(target)));
    }
}
