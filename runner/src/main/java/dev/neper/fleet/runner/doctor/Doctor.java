package dev.neper.fleet.runner.doctor;

import dev.neper.fleet.runner.contract.MemoryMode;
import dev.neper.fleet.runner.nic.NicRecordStore;
import dev.neper.fleet.runner.contract.ReportJson;

import dev.neper.fleet.runner.contract.LinkPlacement;
import dev.neper.fleet.runner.sys.KernelVersion;
import dev.neper.fleet.runner.topology.PciTopology;
import dev.neper.fleet.runner.topology.Placements;
import dev.neper.fleet.runner.topology.SysfsTree;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code neper-runner doctor}: checks every prerequisite of a devmem run on this node for the given
 * links and memory mode, and prints a table (and the same as JSON) with a reason for each failure.
 * Exit code 0 when nothing failed, 1 when something did, 2 on a bad command line.
 */
public final class Doctor {
    public static final String SUBCOMMAND = "doctor";
    static final String USAGE = """
            usage: neper-runner doctor [--link NAME]... [--mode host|udmabuf|cuda] [--role receiver|sender|both]
                                       [--queue-start N] [--queue-num N] [--tcpd-gpu-pci-addr ADDR]
                                       [--threads N] [--sysfs-root DIR] [--json]
              --link NAME      interface to check (repeatable; default eth1, the seed's --tcpd-link-name)
              --mode MODE      memory mode to check for (default cuda)
              --role ROLE      which side's prerequisites: receiver (bind-rx, header split, ntuple, RSS,
                               queues), sender (bind-tx) or both (default)
              --queue-start N  first devmem RX queue (default 8); --queue-num N devmem queues (default 4)
              --threads N      threads per link, for the map's CPU blocks (default 1)
              --sysfs-root DIR read the PCI topology from a copy of /sys at DIR
              --json           print only the JSON document
            """;

    /** The options that take a value; anything else but --json and --help is unknown. */
    private static final List<String> VALUE_OPTIONS = List.of("--link", "--tcpd-link-name", "--mode", "--role",
            "--queue-start", "--queue-num", "--tcpd-gpu-pci-addr", "--threads", "--sysfs-root");

    static final int DEFAULT_QUEUE_START = 8;
    static final int DEFAULT_QUEUE_NUM = 4;

    private Doctor() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        List<String> links = new ArrayList<>();
        MemoryMode mode = MemoryMode.CUDA;
        String role = "both";
        int queueStart = DEFAULT_QUEUE_START;
        int queueNum = DEFAULT_QUEUE_NUM;
        String gpuPci = null;
        int threads = 1;
        Path sysfsRoot = null;
        boolean json = false;
        try {
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                int eq = arg.indexOf('=');
                String name = eq > 0 ? arg.substring(0, eq) : arg;
                if (name.equals("--json")) {
                    json = true;
                    continue;
                }
                if (name.equals("-h") || name.equals("--help")) {
                    out.print(USAGE);
                    return 0;
                }
                if (!VALUE_OPTIONS.contains(name)) {
                    throw new IllegalArgumentException("unknown doctor option '" + arg + "'");
                }
                String value;
                if (eq > 0) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                switch (name) {
                    case "--link", "--tcpd-link-name" -> links.add(value);
                    case "--mode" -> mode = MemoryMode.byArgument(value).orElseThrow(() -> new IllegalArgumentException(
                            "--mode takes host, udmabuf or cuda, not '" + value + "'"));
                    case "--role" -> {
                        if (!List.of("receiver", "sender", "both").contains(value)) {
                            throw new IllegalArgumentException("--role takes receiver, sender or both, not '" + value + "'");
                        }
                        role = value;
                    }
                    case "--queue-start" -> queueStart = Integer.parseInt(value);
                    case "--queue-num" -> queueNum = Integer.parseInt(value);
                    case "--tcpd-gpu-pci-addr" -> gpuPci = value;
                    case "--threads" -> threads = Integer.parseInt(value);
                    case "--sysfs-root" -> {
                        sysfsRoot = Path.of(value);
                        if (!Files.isDirectory(sysfsRoot)) {
                            throw new IllegalArgumentException("--sysfs-root " + value + " is not a directory");
                        }
                    }
                    default -> throw new IllegalStateException("an option of VALUE_OPTIONS without a case: " + name);
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("neper-runner doctor: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        if (links.isEmpty()) {
            links.add("eth1");
        }
        DoctorChecks.DoctorRequest request = new DoctorChecks.DoctorRequest(mode, links, !role.equals("sender"),
                !role.equals("receiver"), queueStart, queueNum, gpuPci, NicRecordStore.fromEnvironment(), System.getenv(),
                kernelRelease());
        DoctorReport report = check(request).withPlacements(map(links, mode, threads, SysfsTree.at(sysfsRoot)));
        if (!json) {
            report.table().forEach(out::println);
            out.println();
        }
        out.println(ReportJson.toJson(report));
        out.flush();
        return report.ok() ? 0 : 1;
    }

    private static String kernelRelease() {
        try {
            return KernelVersion.runningRelease();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The map a links run of these links would use: each link's NIC, GPU and CPUs, and why. */
    static List<LinkPlacement> map(List<String> links, MemoryMode mode, int threads, SysfsTree sysfs) {
        PciTopology pci = PciTopology.read(sysfs);
        return Placements.plan(links.stream().map(l -> new Placements.Request(l, null, null, null)).toList(), pci,
                Placements.settings(pci, mode == MemoryMode.CUDA, threads, false));
    }

    static DoctorReport check(DoctorChecks.DoctorRequest request) {
        return DoctorReport.of(request.mode().argument(), request.links(), new DoctorChecks(request).run());
    }
}
