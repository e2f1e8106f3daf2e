package dev.neper.fleet.operator.fleet.sim;

import dev.neper.fleet.operator.fleet.attribution.FleetVerdicts;
import dev.neper.fleet.operator.fleet.attribution.NodeVerdict;
import dev.neper.fleet.operator.fleet.attribution.PathVerdict;
import dev.neper.fleet.operator.fleet.attribution.RailFault;
import dev.neper.fleet.operator.fleet.attribution.Verdict;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Verdicts against the injected truth. Precision counts convictions (NodeFault, LinkFault, Path,
 * RailFault): the share that name an injected fault exactly. Recall counts injected faults found
 * exactly, flaky devices as found when a Flaky verdict names them.
 *
 * @param truth        injected convictions and flaky devices
 * @param reported     convictions the run made
 * @param missed       injected faults not found
 * @param wrong        convictions of nothing injected
 * @param falseFlaky   Flaky verdicts on devices not injected as flaky (noise; not convictions)
 * @param inconclusive Inconclusive verdicts
 * @param unqualifiedMissed off-subnet nodes not Unqualified
 */
public record Score(int truth, int reported, Set<String> missed, Set<String> wrong, int falseFlaky, int inconclusive,
                    Set<String> unqualifiedMissed) {

    public static Score of(SimulatedFleet.Truth truth, FleetVerdicts verdicts) {
        Set<String> convictions = new HashSet<>();
        Set<String> flakyFound = new HashSet<>();
        int inconclusive = 0;
        Set<String> unqualified = new HashSet<>();
        for (NodeVerdict node : verdicts.nodes()) {
            switch (node.verdict()) {
                case NodeFault -> convictions.add("node " + node.node());
                case LinkFault -> node.devices().forEach(d -> convictions.add("link " + node.node() + "/" + d));
                case Unqualified -> unqualified.add(node.node());
                default -> { }
            }
            for (var device : node.details()) {
                if (device.verdict() == Verdict.Flaky) {
                    flakyFound.add(node.node() + "/" + device.device());
                }
                if (device.verdict() == Verdict.Inconclusive) {
                    inconclusive++;
                }
            }
            if (node.verdict() == Verdict.Inconclusive && node.details().isEmpty()) {
                inconclusive++;
            }
        }
        for (PathVerdict path : verdicts.paths()) {
            switch (path.verdict()) {
                case Path -> convictions.add("path " + SimulatedFleet.pathKey(path.server(), path.client(), path.device()));
                case Flaky -> {
                    flakyFound.add(path.server() + "/" + path.device());
                    flakyFound.add(path.client() + "/" + path.device());
                }
                default -> inconclusive++;
            }
        }
        for (RailFault rail : verdicts.railFaults()) {
            convictions.add("rail " + rail.rail() + (rail.rack() == null ? "" : "@" + rail.rack()));
        }
        Set<String> missed = new TreeSet<>(truth.convictions());
        missed.removeAll(convictions);
        for (String device : truth.flaky()) {
            if (!flakyFound.contains(device)) {
                missed.add("flaky " + device);
            }
        }
        Set<String> wrong = new TreeSet<>(convictions);
        wrong.removeAll(truth.convictions());
        // a Flaky pair names both ends; only the ends that were neither injected count as noise
        Set<String> falseFlaky = new HashSet<>(flakyFound);
        falseFlaky.removeAll(truth.flaky());
        verdicts.paths().stream().filter(p -> p.verdict() == Verdict.Flaky)
                .filter(p -> truth.flaky().contains(p.server() + "/" + p.device()) || truth.flaky().contains(p.client() + "/" + p.device()))
                .forEach(p -> List.of(p.server(), p.client()).forEach(n -> falseFlaky.remove(n + "/" + p.device())));
        Set<String> unqualifiedMissed = new TreeSet<>(truth.unqualified());
        unqualifiedMissed.removeAll(unqualified);
        return new Score(truth.convictions().size() + truth.flaky().size(), convictions.size(), missed, wrong,
                falseFlaky.size(), inconclusive, unqualifiedMissed);
    }

    public double precision() {
        return reported == 0 ? 1 : (reported - wrong.size()) / (double) reported;
    }

    public double recall() {
        return truth == 0 ? 1 : (truth - missed.size()) / (double) truth;
    }
}
