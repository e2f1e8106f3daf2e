package dev.neper.fleet.runner.discover;

import dev.neper.fleet.runner.contract.GpuDevice;
import dev.neper.fleet.runner.contract.MemoryMode;
import dev.neper.fleet.runner.contract.NetworkDevice;
import dev.neper.fleet.runner.contract.NodeTopologies;
import dev.neper.fleet.runner.contract.NodeTopology;
import dev.neper.fleet.runner.contract.Preflight;
import dev.neper.fleet.runner.contract.ReportJson;
import dev.neper.fleet.runner.doctor.Check;
import dev.neper.fleet.runner.doctor.DoctorChecks;
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
 * {@code neper-runner discover [--json] [--sysfs-root DIR] [--termination-summary FILE] [--preflight MODE]}:
 * this node's network devices and GPUs with their PCI placement, as a table, or as JSON
 * ({@link NodeTopology}); the termination summary gets the compact form a Kubernetes termination message
 * holds; {@code --preflight} adds the doctor's host-wide checks of a devmem memory mode. Exit code 0 once
 * discovered (a failed preflight is reported, not an exit code: the fleet run reads it), 1 when the
 * kernel could not be asked, 2 on a bad command line.
 */
public final class DiscoverMain {
    public static final String SUBCOMMAND = "discover";
    static final String USAGE = """
            usage: neper-runner discover [--json] [--sysfs-root DIR] [--termination-summary FILE] [--preflight MODE]
              --json                      print the JSON document only
              --sysfs-root DIR            read a copy of /sys at DIR instead (symlinks resolved inside it)
              --termination-summary FILE  also write the compact JSON (at most 4096 bytes) to FILE
              --preflight MODE            also run the doctor's host-wide checks of memory mode udmabuf or cuda
                                          (kernel, netlink ops, CAP_NET_ADMIN, the memory's prerequisite)
            """;

    private DiscoverMain() {
    }

    public static int run(String version, List<String> args, PrintStream out, PrintStream err) {
        boolean json = false;
        Path sysfsRoot = null;
        String summary = null;
        MemoryMode preflight = null;
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
                case "--sysfs-root", "--termination-summary", "--preflight" -> {
                    String value = eq > 0 ? arg.substring(eq + 1) : i + 1 < args.size() ? args.get(++i) : null;
                    if (value == null) {
                        err.println("neper-runner discover: " + name + " needs a value");
                        return 2;
                    }
                    switch (name) {
                        case "--sysfs-root" -> sysfsRoot = Path.of(value);
                        case "--termination-summary" -> summary = value;
                        default -> {
                            preflight = MemoryMode.byArgument(value).filter(MemoryMode::isDevmem).orElse(null);
                            if (preflight == null) {
                                err.println("neper-runner discover: --preflight takes udmabuf or cuda (host mode needs"
                                        + " none), not '" + value + "'");
                                return 2;
                            }
                        }
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
            if (preflight != null) {
                topology = topology.withPreflight(preflight(preflight));
            }
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

    /** The doctor's host-wide checks of {@code mode}, as the topology carries them. */
    static Preflight preflight(MemoryMode mode) {
        List<String> failures = DoctorChecks.hostChecks(mode, System.getenv(), kernelRelease()).stream()
                .filter(c -> c.status() == Check.Status.FAIL)
                .map(c -> cut(c.name() + ": " + c.detail()))
                .toList();
        return new Preflight(mode.argument(), failures.isEmpty(), failures);
    }

    private static String cut(String text) {
        return text.length() <= Preflight.MAX_FAILURE ? text : text.substring(0, Preflight.MAX_FAILURE - 1) + "…";
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
        if (t.preflight() != null) {
            lines.add("preflight --mode " + t.preflight().mode() + ": " + (t.preflight().passed() ? "passed"
                    : t.preflight().failures().size() + " check(s) failed"));
            t.preflight().failures().forEach(f -> lines.add("  " + f));
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
