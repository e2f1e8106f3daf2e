package dev.neper.fleet.local;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Follows a NeperFleetTest on a local fleet: its phases and waves as they go, each child test as it ends, the verdicts. */
final class FleetRunFollower {
    private FleetRunFollower() {
    }

    /** Returns the last status seen (when the run ended, or at the timeout). */
    static Map<String, Object> follow(LocalFleet fleet, String name, Duration timeout, PrintStream out)
            throws InterruptedException {
        long start = System.nanoTime();
        long end = start + timeout.toNanos();
        String lastLine = null;
        Set<String> reported = new HashSet<>();
        Map<String, Object> status = Map.of();
        while (System.nanoTime() < end) {
            for (GenericKubernetesResource child : fleet.children(name)) {
                Map<String, Object> childStatus = StatusView.status(child);
                if (StatusView.ended(childStatus) && reported.add(child.getMetadata().getName())) {
                    out.println(elapsed(start) + FleetRunView.childLine(child.getMetadata().getName(), childStatus));
                }
            }
            GenericKubernetesResource test = fleet.get(LocalFleet.NEPERFLEETTESTS, name);
            status = test == null ? Map.of() : StatusView.status(test);
            String line = FleetRunView.progressLine(status);
            if (!line.equals(lastLine)) {
                out.println(elapsed(start) + line);
                lastLine = line;
            }
            if (FleetRunView.ended(status)) {
                out.println();
                out.print(FleetRunView.verdictTable(status));
                return status;
            }
            if (!fleet.operatorsAlive()) {
                throw new IllegalStateException("every operator exited; their logs: "
                        + fleet.operators().stream().map(o -> o.log().toString()).toList());
            }
            Thread.sleep(500);
        }
        out.println("NeperFleetTest " + name + " did not end within " + timeout.toSeconds() + " s");
        return status;
    }

    /** "[ 42s] " */
    private static String elapsed(long start) {
        return String.format("[%3ds] ", (System.nanoTime() - start) / 1_000_000_000L);
    }
}
