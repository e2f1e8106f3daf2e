package dev.neper.fleet.operator.fleet;

import dev.neper.fleet.operator.fleet.eligibility.EligibleFleet;
import dev.neper.fleet.operator.fleet.eligibility.TestNode;
import dev.neper.fleet.operator.fleet.pairing.PairingSettings;
import dev.neper.fleet.operator.fleet.planning.FleetPlanner;
import dev.neper.fleet.operator.fleet.planning.FleetReport;
import dev.neper.fleet.operator.fleet.planning.FleetRun;
import dev.neper.fleet.operator.fleet.planning.FleetSettings;
import dev.neper.fleet.operator.fleet.planning.Step;
import dev.neper.fleet.operator.fleet.wave.LinkMeasurement;
import dev.neper.fleet.operator.fleet.wave.PlannedLink;
import dev.neper.fleet.operator.fleet.wave.PlannedPair;
import dev.neper.fleet.operator.fleet.wave.Wave;
import dev.neper.fleet.operator.fleet.wave.WaveResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Hand-made fleets for unit tests: n nodes, racks of a given size, and a scripted throughput per link. */
public final class ScriptedRun {
    /** The throughput of one link test, or null for an error; the round tells retests apart. */
    public interface Links {
        Double gbps(int round, String server, String client, String device);
    }

    public static final double GOOD = 190;

    private ScriptedRun() {
    }

    public static String node(int i) {
        return String.format(Locale.ROOT, "n%03d", i);
    }

    public static EligibleFleet fleet(int nodes, int rails, int rackSize) {
        List<String> railNames = new ArrayList<>();
        for (int r = 1; r <= rails; r++) {
            railNames.add("eth" + r);
        }
        List<TestNode> testNodes = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            Map<String, String> addresses = new TreeMap<>();
            for (int r = 1; r <= rails; r++) {
                addresses.put("eth" + r, "10." + r + "." + (i / 250) + "." + (1 + i % 250));
            }
            testNodes.add(new TestNode(node(i), rackSize == 0 ? null : "rack" + (i / rackSize), addresses));
        }
        return new EligibleFleet(railNames, testNodes, List.of());
    }

    public static FleetSettings settings(long seed) {
        return FleetSettings.defaults(PairingSettings.random(seed));
    }

    /** Runs the planner to the end, recording every wave it gave. */
    public static FleetReport run(EligibleFleet fleet, FleetSettings settings, Links links, List<Wave> waves) {
        FleetRun run = FleetRun.start(fleet, settings);
        for (int i = 0; i < 1000; i++) {
            Step step = FleetPlanner.next(run);
            if (step instanceof Step.Finished(FleetReport report)) {
                return report;
            }
            Wave wave = ((Step.RunWave) step).wave();
            waves.add(wave);
            List<LinkMeasurement> results = new ArrayList<>();
            for (PlannedPair pair : wave.pairs()) {
                for (PlannedLink link : pair.links()) {
                    Double gbps = links.gbps(wave.round(), pair.server(), pair.client(), link.device());
                    results.add(gbps == null
                            ? LinkMeasurement.failed(pair.server(), pair.client(), link.device(), "LINK_DOWN", "carrier lost")
                            : LinkMeasurement.of(pair.server(), pair.client(), link.device(), gbps));
                }
            }
            run = run.with(new WaveResult(wave.round(), wave.index(), results));
        }
        throw new AssertionError("no report after 1000 waves");
    }

    public static FleetReport run(EligibleFleet fleet, FleetSettings settings, Links links) {
        return run(fleet, settings, links, new ArrayList<>());
    }

    /** Good everywhere but where {@code bad} says, with a small deterministic spread so MAD is not 0. */
    public static Links healthyBut(Links bad) {
        return (round, server, client, device) -> {
            Double override = bad.gbps(round, server, client, device);
            if (override != null && override < 0) {
                return GOOD - 1 + ((server.hashCode() ^ client.hashCode() ^ device.hashCode()) & 7) / 4.0;
            }
            return override;
        };
    }

    /** The value {@link #healthyBut} reads as "healthy". */
    public static final Double HEALTHY = -1.0;

    public static boolean involves(String server, String client, String node) {
        return server.equals(node) || client.equals(node);
    }
}
