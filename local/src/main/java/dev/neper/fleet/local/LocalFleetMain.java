package dev.neper.fleet.local;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code neper-local}: starts a local fleet, applies a NeperTest, prints its status as it moves and
 * its per-link table, and removes everything (on Ctrl-C and SIGTERM too). Exit code 0 when the test
 * passed, 1 when it failed or could not be followed to its end (the operator exited), 2 for a bad
 * command line or test file (checked before anything starts).
 *   --nodes N (2) --links K (2) --operators R (1; replicas that elect a leader) --test FILE
 *   (docs/examples/nepertest-host.yaml) --kubeconfig FILE --namespace NS (neper-fleet) --timeout SECONDS (120)
 *   --root DIR (the checkout, .)
 *   --runtime process|podman (process): how the node agent runs pods; podman runs each from its image
 *   --runner-image NAME (ghcr.io/neper-fleet/neper-runner:VERSION, what bin/build-images tags) for podman
 * {@code --fleet} runs a NeperFleetTest instead ({@link FleetRunMain}).
 */
public final class LocalFleetMain {
    static final String PROGRAM = "neper-local";
    private static final String USAGE = "usage: " + PROGRAM + " [--nodes N] [--links K] [--operators R] [--test FILE]"
            + " [--kubeconfig FILE] [--namespace NS] [--timeout SECONDS] [--root DIR] [--runtime process|podman]"
            + " [--runner-image NAME]";

    /** A command line or test file refused before anything started: one line, exit code 2. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private LocalFleetMain() {
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--fleet")) {
            System.exit(FleetRunMain.run(List.of(args)));
        }
        System.exit(run(List.of(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        Map<String, String> options;
        Path root;
        Path test;
        GenericKubernetesResource resource;
        int nodes;
        int links;
        int operators;
        Duration timeout;
        LocalFleet.Images images;
        try {
            options = parse(args);
            root = Path.of(options.getOrDefault("root", ".")).toAbsolutePath().normalize();
            test = root.resolve(options.getOrDefault("test", "docs/examples/nepertest-host.yaml"));
            resource = readTest(test, root);
            nodes = number(options, "nodes", 2);
            links = number(options, "links", 2);
            operators = number(options, "operators", 1);
            timeout = Duration.ofSeconds(number(options, "timeout", 120));
            images = images(options.get("runtime"), options.get("runner-image"));
        } catch (Refused e) {
            err.println(PROGRAM + ": " + e.getMessage());
            return 2;
        }
        Path kubeconfig = options.containsKey("kubeconfig") ? Path.of(options.get("kubeconfig")) : null;
        Path log;
        try {
            log = Files.createTempFile("neper-local-", ".log");
            logTo(log);
        } catch (IOException e) {
            err.println(PROGRAM + ": cannot create its log file: " + e.getMessage());
            return 1;
        }
        LocalFleet fleet;
        try {
            fleet = LocalFleet.create(nodes, links, options.getOrDefault("namespace", "neper-fleet"));
        } catch (IOException e) {
            err.println(PROGRAM + ": cannot create its work directory: " + e.getMessage());
            return 1;
        }
        out.println("starting a local fleet: " + nodes + " nodes x " + links + " links (network namespaces "
                + fleet.layout().namespacePrefix() + "*), "
                + (kubeconfig == null ? "embedded API server" : "cluster of " + kubeconfig)
                + (operators == 1 ? "" : ", " + operators + " operator replicas")
                + (images.runner() == null ? "" : ", runner pods in podman from " + images.runner()));
        Stop stop = new Stop(fleet, err, log);
        Runtime.getRuntime().addShutdownHook(stop);
        LocalFleet.Followed followed;
        try {
            fleet.start(operators, kubeconfig, LocalFleet.Paths.inCheckout(root), images);
            String name = fleet.apply(resource);
            out.println("applied NeperTest " + name + " from " + root.relativize(test));
            followed = fleet.follow(name, timeout, out);
        } catch (IOException | RuntimeException | InterruptedException e) {
            if (stop.started()) {
                return 1;
            }
            err.println(PROGRAM + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            followed = null;
        } finally {
            fleet.close();
        }
        if (!stop.cancel()) {
            return 1;
        }
        boolean passed = followed != null && followed.ended() && "Succeeded".equals(followed.status().get("phase"));
        if (passed) {
            try {
                fleet.deleteWorkDirectory();
                Files.deleteIfExists(log);
            } catch (IOException e) {
                err.println(PROGRAM + ": cannot remove its logs: " + e.getMessage());
            }
        } else {
            out.println(logsLine(log, fleet));
        }
        return passed ? 0 : 1;
    }

    /** Where a run that did not pass left its logs. */
    static String logsLine(Path log, LocalFleet fleet) {
        return "logs: " + log + " (this tool), " + fleet.workDirectory() + " (the operator and every pod)";
    }

    /**
     * Ctrl-C or SIGTERM: removes the fleet (the main thread's calls then fail; it says nothing more),
     * says so in one line, and where the logs are: a stopped run did not pass, so they stay.
     */
    private static final class Stop extends Thread {
        private final LocalFleet fleet;
        private final PrintStream err;
        private final Path log;
        private volatile boolean started;

        Stop(LocalFleet fleet, PrintStream err, Path log) {
            super("local-fleet-stop");
            this.fleet = fleet;
            this.err = err;
            this.log = log;
        }

        @Override
        public void run() {
            started = true;
            err.println(PROGRAM + ": stopping: removing the local fleet");
            fleet.close();
            err.println(PROGRAM + ": stopped; the local fleet is removed");
            err.println(logsLine(log, fleet));
        }

        boolean started() {
            return started;
        }

        /** False when the JVM is already shutting down (the hook then does the rest). */
        boolean cancel() {
            try {
                return Runtime.getRuntime().removeShutdownHook(this) || !started;
            } catch (IllegalStateException shuttingDown) {
                return false;
            }
        }
    }

    /** The image bin/build-images tags and the operator runs by default: the project's version. */
    /** How the node agent runs pods: --runtime process (the default) or podman, from --runner-image. */
    static LocalFleet.Images images(String runtime, String runnerImage) throws Refused {
        return switch (runtime == null ? "process" : runtime) {
            case "process" -> LocalFleet.Images.NONE;
            case "podman" -> new LocalFleet.Images(runnerImage != null ? runnerImage : defaultRunnerImage(), null);
            default -> throw new Refused("--runtime takes process or podman, not " + runtime);
        };
    }

    private static String defaultRunnerImage() throws Refused {
        String version = LocalFleetMain.class.getPackage().getImplementationVersion();
        if (version == null) {
            throw new Refused("--runtime podman needs --runner-image (this build has no version)");
        }
        return "ghcr.io/neper-fleet/neper-runner:" + version;
    }

    private static GenericKubernetesResource readTest(Path test, Path root) throws Refused {
        String shown = test.startsWith(root) ? root.relativize(test).toString() : test.toString();
        String text;
        try {
            text = Files.readString(test);
        } catch (NoSuchFileException e) {
            throw new Refused("no test file " + shown);
        } catch (IOException | RuntimeException e) {
            throw new Refused("cannot read " + shown + ": " + e.getMessage());
        }
        try {
            return TestFile.parse(text, shown);
        } catch (TestFile.Refused e) {
            throw new Refused(e.getMessage());
        }
    }

    /** The agent's and the clients' log lines go to a file, so the terminal shows the test's progress only. */
    static void logTo(Path file) throws IOException {
        java.util.logging.LogManager.getLogManager().reset();
        java.util.logging.FileHandler handler = new java.util.logging.FileHandler(file.toString());
        handler.setFormatter(new java.util.logging.SimpleFormatter());
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(handler);
        root.setLevel(java.util.logging.Level.INFO);
    }

    private static int number(Map<String, String> options, String name, int fallback) throws Refused {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value);
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new Refused("--" + name + " takes a whole number of at least 1, not '" + value + "'");
    }

    private static Map<String, String> parse(List<String> args) throws Refused {
        Map<String, String> options = new java.util.HashMap<>();
        List<String> known = List.of("nodes", "links", "operators", "test", "kubeconfig", "namespace", "timeout", "root",
                "runtime", "runner-image");
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || !known.contains(arg.substring(2)) || i + 1 >= args.size()) {
                throw new Refused((arg.startsWith("--") && known.contains(arg.substring(2)) ? arg + " needs a value"
                        : "unknown argument " + arg) + "; " + USAGE);
            }
            options.put(arg.substring(2), args.get(++i));
        }
        return options;
    }
}
