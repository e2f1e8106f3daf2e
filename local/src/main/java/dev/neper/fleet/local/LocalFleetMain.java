package dev.neper.fleet.local;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code neper-local}: starts a local fleet, applies a NeperTest, prints its status as it moves and
 * its per-link table, and removes everything (on Ctrl-C too). Exit code 0 when the test passed.
 *   --nodes N (2) --links K (2) --operators R (1; replicas that elect a leader) --test FILE
 *   (docs/examples/nepertest-host.yaml) --kubeconfig FILE --namespace NS (neper-fleet) --timeout SECONDS (120)
 *   --root DIR (the checkout, .)
 *   --runtime process|podman (process): how the node agent runs pods; podman runs each from its image
 *   --runner-image NAME (ghcr.io/neper-fleet/neper-runner:VERSION, what bin/build-images tags) for podman
 * {@code --fleet} runs a NeperFleetTest instead ({@link FleetRunMain}).
 */
public final class LocalFleetMain {
    private LocalFleetMain() {
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--fleet")) {
            System.exit(FleetRunMain.run(List.of(args)));
        }
        Map<String, String> options = parse(List.of(args));
        Path root = Path.of(options.getOrDefault("root", ".")).toAbsolutePath().normalize();
        Path test = root.resolve(options.getOrDefault("test", "docs/examples/nepertest-host.yaml"));
        Path kubeconfig = options.containsKey("kubeconfig") ? Path.of(options.get("kubeconfig")) : null;
        int nodes = Integer.parseInt(options.getOrDefault("nodes", "2"));
        int links = Integer.parseInt(options.getOrDefault("links", "2"));
        int operators = Integer.parseInt(options.getOrDefault("operators", "1"));
        Duration timeout = Duration.ofSeconds(Long.parseLong(options.getOrDefault("timeout", "120")));
        LocalFleet.Images images = images(options.get("runtime"), options.get("runner-image"));

        Path log = Files.createTempFile("neper-local-", ".log");
        logTo(log);
        System.out.println("starting a local fleet: " + nodes + " nodes x " + links + " links, "
                + (kubeconfig == null ? "embedded API server" : "cluster of " + kubeconfig)
                + (operators == 1 ? "" : ", " + operators + " operator replicas")
                + (images.runner() == null ? "" : ", runner pods in podman from " + images.runner()));
        LocalFleet fleet = LocalFleet.start(nodes, links, operators, kubeconfig,
                options.getOrDefault("namespace", "neper-fleet"), LocalFleet.Paths.inCheckout(root), images);
        Thread cleanup = new Thread(fleet::close, "local-fleet-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        boolean passed;
        try (InputStream yaml = Files.newInputStream(test)) {
            String name = fleet.apply(yaml);
            System.out.println("applied NeperTest " + name + " from " + root.relativize(test));
            passed = "Succeeded".equals(fleet.follow(name, timeout, System.out).get("phase"));
        } finally {
            fleet.close();
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        if (passed) {
            fleet.deleteWorkDirectory();
            Files.deleteIfExists(log);
        } else {
            System.out.println("logs: " + log + " (this tool), " + fleet.workDirectory() + " (the operator and every pod)");
        }
        System.exit(passed ? 0 : 1);
    }

    /** How the node agent runs pods: --runtime process (the default) or podman, from --runner-image. */
    static LocalFleet.Images images(String runtime, String runnerImage) {
        return switch (runtime == null ? "process" : runtime) {
            case "process" -> LocalFleet.Images.NONE;
            case "podman" -> new LocalFleet.Images(runnerImage != null ? runnerImage : defaultRunnerImage(), null);
            default -> throw new IllegalArgumentException("--runtime takes process or podman, not " + runtime);
        };
    }

    /** The image bin/build-images tags and the operator runs by default: the project's version. */
    private static String defaultRunnerImage() {
        String version = LocalFleetMain.class.getPackage().getImplementationVersion();
        if (version == null) {
            throw new IllegalArgumentException("--runtime podman needs --runner-image (this build has no version)");
        }
        return "ghcr.io/neper-fleet/neper-runner:" + version;
    }

    /** The agent's and the clients' log lines go to a file, so the terminal shows the test's progress only. */
    static void logTo(Path file) throws java.io.IOException {
        java.util.logging.LogManager.getLogManager().reset();
        java.util.logging.FileHandler handler = new java.util.logging.FileHandler(file.toString());
        handler.setFormatter(new java.util.logging.SimpleFormatter());
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(handler);
        root.setLevel(java.util.logging.Level.INFO);
    }

    private static Map<String, String> parse(List<String> args) {
        java.util.HashMap<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || i + 1 >= args.size()) {
                throw new IllegalArgumentException("usage: neper-local [--nodes N] [--links K] [--operators R] [--test FILE]"
                        + " [--kubeconfig FILE] [--namespace NS] [--timeout SECONDS] [--root DIR]"
                        + " [--runtime process|podman] [--runner-image NAME]; bad argument " + arg);
            }
            options.put(arg.substring(2), args.get(++i));
        }
        return options;
    }
}
