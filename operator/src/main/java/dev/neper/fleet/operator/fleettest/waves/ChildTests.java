package dev.neper.fleet.operator.fleettest.waves;

import dev.neper.fleet.operator.api.Endpoint;
import dev.neper.fleet.operator.api.FleetLabels;
import dev.neper.fleet.operator.api.Link;
import dev.neper.fleet.operator.api.NeperFleetTest;
import dev.neper.fleet.operator.api.NeperFleetTestSpec;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.Pair;
import dev.neper.fleet.operator.fleet.wave.PlannedPair;
import dev.neper.fleet.operator.fleet.wave.Wave;
import dev.neper.fleet.operator.pods.Labels;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A wave as child NeperTests: its pairs, at most {@link NeperFleetTestSpec#MAX_PAIRS_PER_TEST} per child,
 * each child the template's settings over its pairs, owned by the fleet test, named and labelled with
 * the run, round, wave and part, so {@code kubectl get nepertest} shows where the run is.
 */
public final class ChildTests {
    private ChildTests() {
    }

    public static List<NeperTest> of(NeperFleetTest fleet, String runId, Wave wave) {
        List<PlannedPair> pairs = wave.pairs();
        int parts = Math.max(1, (pairs.size() + NeperFleetTestSpec.MAX_PAIRS_PER_TEST - 1)
                / NeperFleetTestSpec.MAX_PAIRS_PER_TEST);
        List<NeperTest> children = new ArrayList<>(parts);
        for (int part = 1; part <= parts; part++) {
            List<PlannedPair> share = pairs.subList((part - 1) * pairs.size() / parts, part * pairs.size() / parts);
            children.add(child(fleet, runId, wave, part, parts, share));
        }
        return children;
    }

    public static String name(NeperFleetTest fleet, String runId, int round, int wave, int part) {
        return fleet.getMetadata().getName() + "-" + runId + "-r" + round + "w" + wave + "-p" + part;
    }

    private static NeperTest child(NeperFleetTest fleet, String runId, Wave wave, int part, int parts,
                                   List<PlannedPair> pairs) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        labels.put(FleetLabels.FLEET_TEST, fleet.getMetadata().getName());
        labels.put(FleetLabels.RUN, runId);
        labels.put(FleetLabels.ROUND, Integer.toString(wave.round()));
        labels.put(FleetLabels.WAVE, Integer.toString(wave.index()));
        labels.put(FleetLabels.PART, Integer.toString(part));
        NeperTest test = new NeperTest();
        test.setMetadata(new ObjectMetaBuilder()
                .withName(name(fleet, runId, wave.round(), wave.index(), part))
                .withNamespace(fleet.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(Map.of(FleetLabels.PARTS, Integer.toString(parts)))
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(fleet.getApiVersion())
                        .withKind(fleet.getKind()).withName(fleet.getMetadata().getName())
                        .withUid(fleet.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build())
                .build());
        test.setSpec(fleet.getSpec().template().withPairs(pairs.stream().map(ChildTests::pair).toList()));
        return test;
    }

    private static Pair pair(PlannedPair planned) {
        return new Pair(new Endpoint(planned.server()), new Endpoint(planned.client()), planned.links().stream()
                .map(l -> new Link(l.device(), l.serverAddress(), l.clientAddress(), null, null)).toList());
    }
}
