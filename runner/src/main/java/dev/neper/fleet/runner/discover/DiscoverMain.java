package dev.neper.fleet.runner.discover;

import dev.neper.fleet.runner.contract.GpuDevice;
import dev.neper.fleet.runner.contract.NetworkDevice;
import dev.neper.fleet.runner.contract.NodeTopologies;
import dev.neper.fleet.runner.contract.NodeTopology;
import dev.neper.fleet.runner.contract.ReportJson;
import dev.neper.fleet.runner.sys.KernelVersion;
import dev.neper.fleet.runner.topology.SysfsTree;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code neper-runner discover [--json] [--sysfs-root DIR] [--termination-summary FILE]}: this node's
 * network devices and GPUs with their PCI placement, as a table, or as JSON ({@link NodeTopology}); the
 * termination summary gets the compact form a Kubernetes termination message holds. Exit code 0 once
 * discovered, 1 when the kernel could not be asked, 2 on a bad command line.
 */
public final class DiscoverMain {
    public static final String SUBCOMMAND = "discover";
    static final String USAGE = """
            usage: neper-runner discover [--json] [--sysfs-root DIR] [--termination-summary FILE]
              --json                      print the JSON document only
              --sysfs-root DIR            read a copy of /sys at DIR instead (symlinks resolved inside it)
              --termination-summary FILE  also write the compact JSON (at most 4096 bytes) to FILE
            """;

    private DiscoverMain() {
    }

    public static int run(String version, List<String> args, PrintStream out, PrintStream err) {
        boolean json = false;
        Path sysfsRoot = null;
        String summary = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            int eq = arg.indexOf('=');
            String name = eq > 0 ? arg.substring(0, eq) : arg;
            switch (name) {
                case "--json" -> json = true;
                case "-h", "--help" -> {
                    out.print(USAGE);
                    return 0;
                }
                case "--sysfs-root", "--termination-summary" -> {
                    String value = eq > 0 ? arg.substring(eq + 1) : i + 1 < args.size() ? args.get(++i) : null;
                    if (value == null) {
                        err.println("neper-runner discover: " + name + " needs a value");
                        return 2;
                    }
                    if (name.equals("--sysfs-root")) {
                        sysfsRoot = Path.of(value);
                    } else {
                        summary = value;
                    }
                }
                default -> {
                    err.println("neper-runner discover: unknown option '" + arg + "'");
                    err.print(USAGE);
                    return 2;
                }
            }
        }
        if (sysfsRoot != null && !Files.isDirectory(sysfsRoot)) {
            err.println("neper-runner discover: --sysfs-root " + sysfsRoot + " is not a directory");
            return 2;
        }
        NodeTopology topology;
        try {
            topology = Discovery.discover(SysfsTree.at(sysfsRoot), kernelRelease(), version);
        } catch (IOException e) {
            err.println("neper-runner discover: " + e.getMessage());
            return 1;
        }
        if (summary != null) {
            try {
                Files.writeString(Path.of(summary), ReportJson.toCompactJson(NodeTopologies.compact(topology)));
            } catch (IOException e) {
                err.println("neper-runner discover: cannot write the termination summary to " + summary + ": "
                        + e.getMessage());
                return 1;
            }
        }
        if (json) {
            out.println(ReportJson.toJson(topology));
        } else {
            table(topology).forEach(out::println);
        }
        out.flush();
        return 0;
    }

    private static String kernelRelease() {
        try {
            return KernelVersion.runningRelease();
        } catch (IOException e) {
            return null;
        }
    }

    /** The devices, then the GPUs, in fixed-width columns. */
    static List<String> table(NodeTopology t) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"DEVICE", "STATE", "SPEED", "MTU", "ADDRESSES", "DRIVER", "PCI", "NUMA", "CPUS", "RXQ",
                "HDS", "NEAREST GPUS", "DEVMEM"});
        for (NetworkDevice d : t.devices()) {
            rows.add(new String[] {d.name(), text(d.state()), d.speedMbps() == null ? "-" : d.speedMbps() + "Mb/s",
                    text(d.mtu()), d.addresses().isEmpty() ? "-" : String.join(",", d.addresses()), text(d.driver()),
                    text(d.pci()), text(d.numa()), text(d.cpus()), text(d.rxQueues()),
                    d.headerSplit() == null ? "?" : d.headerSplit() ? "yes" : "no",
                    d.gpus().isEmpty() ? "-" : String.join(",", d.gpus()) + " (" + d.gpuMatch() + ")",
                    devmem(d)});
        }
        List<String> lines = columns(rows);
        lines.add("");
        List<String[]> gpus = new ArrayList<>();
        gpus.add(new String[] {"GPU", "DEVICE", "NUMA"});
        for (GpuDevice g : t.gpus()) {
            gpus.add(new String[] {g.pci(), text(g.deviceId()), text(g.numa())});
        }
        if (t.gpus().isEmpty()) {
            lines.add("no NVIDIA GPU (PCI class 0x0300xx or 0x0302xx, vendor 0x10de) in sysfs");
        } else {
            lines.addAll(columns(gpus));
        }
        for (NetworkDevice d : t.devices()) {
            if (d.devmem() != null) {
                d.devmem().problems().forEach(p -> lines.add(d.name() + ": " + p));
            }
        }
        return lines;
    }

    private static String devmem(NetworkDevice d) {
        if (d.devmem() == null || d.devmem().capable() == null) {
            return "?";
        }
        return d.devmem().capable() ? "yes" : "no";
    }

    private static String text(Object value) {
        return value == null ? "-" : Objects.toString(value);
    }

    private static List<String> columns(List<String[]> rows) {
        int[] widths = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }
}
