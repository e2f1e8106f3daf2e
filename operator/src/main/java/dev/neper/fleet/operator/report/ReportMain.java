package dev.neper.fleet.operator.report;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * {@code bin/neper-fleet report}: writes a fleet run's report, one self-contained HTML file. Exit code 0 when
 * written, 1 when what it reads is missing or unreadable, 2 on a bad argument.
 */
public final class ReportMain {
    static final String USAGE = """
            usage: bin/neper-fleet report NAME [-n|--namespace NS] [-o|--output FILE]
                   bin/neper-fleet report --input FILE [-o|--output FILE]
              NAME            a NeperFleetTest in the cluster (the kubeconfig's, or in a pod its service account's):
                              its status, its last run's child NeperTests, the namespace's fleet tests as the last runs
              --namespace NS  its namespace (the kubeconfig's, else neper-fleet)
              --input FILE    a file instead: kubectl get neperfleettest NAME -o json (the status alone: only the
                              nodes it names), kubectl get neperfleettest,nepertest -o json (a List: every node),
                              or ./run-local --fleet --result-json's status
              --output FILE   where to write the page (neper-fleet-report.html)
            """;

    private ReportMain() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), Clock.systemUTC()));
    }

    static int run(List<String> args, Clock clock) {
        String name = null;
        String namespace = null;
        Path input = null;
        Path output = Path.of("neper-fleet-report.html");
        try {
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                switch (arg) {
                    case "report" -> { }
                    case "--namespace", "-n", "--input", "--output", "-o" -> {
                        if (i + 1 >= args.size()) {
                            throw new IllegalArgumentException(arg + " needs a value");
                        }
                        String value = args.get(++i);
                        switch (arg) {
                            case "--namespace", "-n" -> namespace = value;
                            case "--input" -> input = Path.of(value);
                            default -> output = Path.of(value);
                        }
                    }
                    case "--help", "-h" -> {
                        System.out.print(USAGE);
                        return 0;
                    }
                    default -> {
                        if (arg.startsWith("-") || name != null) {
                            throw new IllegalArgumentException("unknown argument '" + arg + "'");
                        }
                        name = arg;
                    }
                }
            }
            if ((name == null) == (input == null)) {
                throw new IllegalArgumentException("give a NeperFleetTest's NAME or --input FILE, one of them");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("neper-fleet report: " + e.getMessage());
            System.err.print(USAGE);
            return 2;
        }
        try {
            FleetRun run;
            if (input != null) {
                run = FleetRunReader.fromText(Files.readString(input));
            } else {
                try (KubernetesClient client = new KubernetesClientBuilder().build()) {
                    String ns = namespace != null ? namespace
                            : client.getNamespace() != null ? client.getNamespace() : "neper-fleet";
                    run = FleetRunReader.fromCluster(client, ns, name);
                }
            }
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(output, FleetReportPage.render(run, clock.instant()));
            System.out.println("report written to " + output);
            return 0;
        } catch (IOException | RuntimeException e) {
            System.err.println("neper-fleet report: " + e.getMessage());
            return 1;
        }
    }
}
