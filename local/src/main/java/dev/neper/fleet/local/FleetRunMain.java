package dev.neper.fleet.local;

import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./run-local --fleet}: starts a local fleet, injects the faults asked for, applies a NeperFleetTest
 * (docs/examples/neperfleettest-host.yaml), prints its rounds and waves as they go and the verdict table,
 * writes its status as JSON, and removes everything (qdiscs and namespaces, on Ctrl-C too). Exit code 0
 * when the run completed (whatever it found), 1 when it failed or did not end, 2 on bad input.
 */
public final class FleetRunMain {
    static final String USAGE = """
            usage: ./run-local --fleet [--nodes N] [--links K] [--slow-link NODE:DEV]... [--bad-node NODE]...
                                       [--down-link NODE:DEV]... [--slow-path NODE:NODE:DEV]... [--rate RATE]
                                       [--result-json FILE] [--report FILE] [--test FILE] [--operators R]
                                       [--timeout SECONDS]
                                       [--kubeconfig FILE] [--namespace NS] [--runtime process|podman]
              --nodes N (8), --links K (2): the fleet's shape; nodes local-node-1..N, devices eth1..ethK
              --slow-link 3:eth2    rate-limit that device both ways (tc tbf on it and on its switch port)
              --bad-node 3          rate-limit every device of the node
              --down-link 3:eth1    set that device down
              --slow-path 4:5:eth2  rate-limit only the traffic between the two nodes on that device (found
                                    only when the run pairs them: use pairing.strategy ring to know it does)
              --rate RATE           the limit, in tc's spelling (200mbit)
              --result-json FILE    write the fleet test's status there
              --report FILE         write the run's report there (bin/neper-fleet report: one HTML file)
              --test FILE           the NeperFleetTest (docs/examples/neperfleettest-host.yaml)
              --timeout SECONDS     give up after (600)
            """;
    private static final Set<String> REPEATED = Set.of("slow-link", "bad-node", "down-link", "slow-path");
    private static final Set<String> SINGLE = Set.of("nodes", "links", "rate", "result-json", "report", "test", "operators",
            "timeout", "kubeconfig", "namespace", "root", "runtime", "runner-image");

    private FleetRunMain() {
    }

    /** The options, each repeated one as a list; a bad option, value or fault ends with the usage. */
    record Options(Map<String, String> single, Map<String, List<String>> repeated) {
        String get(String name, String fallback) {
            return single.getOrDefault(name, fallback);
        }

        List<String> all(String name) {
            return repeated.getOrDefault(name, List.of());
        }

        int number(String name, int fallback) {
            String text = single.get(name);
            try {
                return text == null ? fallback : Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " takes a number, not '" + text + "'");
            }
        }
    }

    static Options parse(List<String> args) {
        Map<String, String> single = new HashMap<>();
        Map<String, List<String>> repeated = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--fleet")) {
                continue;
            }
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new IllegalArgumentException("usage");
            }
            String name = arg.startsWith("--") ? arg.substring(2) : null;
            if (name == null || (!REPEATED.contains(name) && !SINGLE.contains(name))) {
                throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
            if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            String value = args.get(++i);
            if (REPEATED.contains(name)) {
                repeated.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            } else if (single.put(name, value) != null) {
                throw new IllegalArgumentException(arg + " given twice");
            }
        }
        return new Options(single, repeated);
    }

    public static int run(List<String> args) throws Exception {
        Options options;
        int nodes;
        int links;
        int operators;
        Duration timeout;
        LocalFleet.Images images;
        try {
            options = parse(args);
            nodes = options.number("nodes", 8);
            links = options.number("links", 2);
            operators = options.number("operators", 1);
            timeout = Duration.ofSeconds(options.number("timeout", 600));
            try {
                images = LocalFleetMain.images(options.get("runtime", null), options.get("runner-image", null));
            } catch (LocalFleetMain.Refused e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            new dev.neper.fleet.local.topology.FleetLayout("check", nodes, links);
            FleetFaults.parse(new dev.neper.fleet.local.topology.FleetLayout("check", nodes, links),
                    options.all("slow-link"), options.all("bad-node"), options.all("down-link"), options.all("slow-path"),
                    options.get("rate", null));
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().equals("usage")) {
                System.err.println("run-local --fleet: " + e.getMessage());
            }
            System.err.print(USAGE);
            return args.contains("--help") || args.contains("-h") ? 0 : 2;
        }
        Path root = Path.of(options.get("root", ".")).toAbsolutePath().normalize();
        Path test = root.resolve(options.get("test", "docs/examples/neperfleettest-host.yaml"));
        Path kubeconfig = options.single().containsKey("kubeconfig") ? Path.of(options.get("kubeconfig", null)) : null;
        Path resultJson = options.single().containsKey("result-json") ? Path.of(options.get("result-json", null)) : null;
        Path report = options.single().containsKey("report") ? Path.of(options.get("report", null)) : null;
        if (!Files.isRegularFile(test)) {
            System.err.println("run-local --fleet: no NeperFleetTest at " + test);
            return 2;
        }

        Path log = Files.createTempFile("neper-local-", ".log");
        LocalFleetMain.logTo(log);
        System.out.println("starting a local fleet: " + nodes + " nodes x " + links + " links, "
                + (kubeconfig == null ? "embedded API server" : "cluster of " + kubeconfig));
        LocalFleet fleet = LocalFleet.start(nodes, links, operators, kubeconfig, options.get("namespace", "neper-fleet"),
                LocalFleet.Paths.inCheckout(root), images);
        Thread cleanup = new Thread(() -> {
            fleet.close();
            System.err.println(LocalFleetMain.logsLine(log, fleet));
        }, "local-fleet-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        boolean completed;
        try {
            FleetFaults faults = FleetFaults.parse(fleet.layout(), options.all("slow-link"), options.all("bad-node"),
                    options.all("down-link"), options.all("slow-path"), options.get("rate", null));
            faults.inject(fleet.network());
            faults.describe(fleet.layout()).forEach(f -> System.out.println("injected " + f));
            String name;
            try (InputStream yaml = Files.newInputStream(test)) {
                name = fleet.apply(LocalFleet.NEPERFLEETTESTS, yaml);
            }
            System.out.println("applied NeperFleetTest " + name + " from " + root.relativize(test));
            Map<String, Object> status = FleetRunFollower.follow(fleet, name, timeout, System.out);
            if (resultJson != null) {
                write(resultJson, status);
                System.out.println("status written to " + resultJson);
            }
            if (report != null) {
                writeReport(root, fleet, name, report);
                System.out.println("report written to " + report);
            }
            completed = "Completed".equals(status.get("phase"));
        } finally {
            fleet.close();
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        if (completed) {
            fleet.deleteWorkDirectory();
            Files.deleteIfExists(log);
        } else {
            System.out.println(LocalFleetMain.logsLine(log, fleet));
        }
        return completed ? 0 : 1;
    }

    /**
     * The run's report, by the command a user runs against a cluster (bin/neper-fleet report), pointed at the
     * fleet's API; throws when it fails.
     */
    static void writeReport(Path root, LocalFleet fleet, String name, Path file) throws IOException, InterruptedException {
        Path output = Files.createTempFile("neper-fleet-report-", ".log");
        try {
            ProcessBuilder report = new ProcessBuilder(root.resolve("bin/neper-fleet").toString(), "report", name,
                    "--namespace", fleet.namespace(), "--output", file.toAbsolutePath().toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            report.environment().put("KUBECONFIG", fleet.kubeconfig().toString());
            Process process = report.start();
            if (!process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("bin/neper-fleet report did not end within 120 s");
            }
            if (process.exitValue() != 0) {
                throw new IOException("bin/neper-fleet report exited with " + process.exitValue() + ": "
                        + Files.readString(output).strip());
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    static void write(Path file, Map<String, Object> status) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, Serialization.asJson(status) + "\n");
    }
}
