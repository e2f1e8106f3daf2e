package dev.neper.fleet.operator.fleet.pairing;

import dev.neper.fleet.operator.fleet.eligibility.TestNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** Round 1's matching for each strategy: a pure function of the nodes and the settings. */
public final class FirstRoundPairing {
    private static final String NO_RACK = "";

    private FirstRoundPairing() {
    }

    public static Matching match(List<TestNode> nodes, PairingSettings settings) {
        List<String> names = nodes.stream().map(TestNode::name).sorted().toList();
        return switch (settings.strategy()) {
            case RANDOM -> consecutive(Shuffle.shuffled(names, new SplittableRandom(settings.seed())));
            case RING -> ring(names, settings.ringTimestep());
            case RACK -> settings.rackMode() == RackMode.ACROSS
                    ? acrossRacks(nodes, new SplittableRandom(settings.seed()))
                    : withinRacks(nodes, new SplittableRandom(settings.seed()));
        };
    }

    private static Matching consecutive(List<String> order) {
        List<NodePair> pairs = new ArrayList<>();
        for (int i = 0; i + 1 < order.size(); i += 2) {
            pairs.add(new NodePair(order.get(i), order.get(i + 1)));
        }
        return new Matching(pairs, order.size() % 2 == 1 ? order.getLast() : null);
    }

    /** The circle method: the first node stays, the others rotate by the timestep. */
    private static Matching ring(List<String> names, long timestep) {
        List<String> circle = new ArrayList<>(names);
        String odd = null;
        if (circle.size() % 2 == 1) {
            circle.add(null); // a bye: whoever meets it this timestep is the odd node out
        }
        int n = circle.size();
        List<NodePair> pairs = new ArrayList<>();
        if (n >= 2) {
            int m = n - 1;
            int shift = (int) Math.floorMod(timestep, (long) m);
            List<String> rotated = new ArrayList<>(m);
            for (int i = 0; i < m; i++) {
                rotated.add(circle.get(1 + (i + shift) % m));
            }
            List<String[]> raw = new ArrayList<>();
            raw.add(new String[] {circle.getFirst(), rotated.getFirst()});
            for (int i = 1; i <= (m - 1) / 2; i++) {
                raw.add(new String[] {rotated.get(i), rotated.get(m - i)});
            }
            for (String[] pair : raw) {
                if (pair[0] == null || pair[1] == null) {
                    odd = pair[0] == null ? pair[1] : pair[0];
                } else {
                    pairs.add(new NodePair(pair[0], pair[1]));
                }
            }
        } else if (n == 1) {
            odd = circle.getFirst();
        }
        return new Matching(pairs, odd);
    }

    /**
     * Racks laid end to end, largest first, and node i paired with node i + n/2: while no rack holds more
     * than half the nodes, every pair spans two racks.
     */
    private static Matching acrossRacks(List<TestNode> nodes, SplittableRandom random) {
        List<List<String>> racks = new ArrayList<>(racks(nodes, random).values());
        racks.sort(Comparator.comparingInt((List<String> rack) -> -rack.size()));
        List<String> order = new ArrayList<>();
        racks.forEach(order::addAll);
        String odd = null;
        if (order.size() % 2 == 1) {
            odd = order.removeFirst();
        }
        int half = order.size() / 2;
        List<NodePair> pairs = new ArrayList<>();
        for (int i = 0; i < half; i++) {
            pairs.add(new NodePair(order.get(i), order.get(i + half)));
        }
        return new Matching(pairs, odd);
    }

    /** Random pairs inside each rack; each odd rack's leftover node is paired with another rack's. */
    private static Matching withinRacks(List<TestNode> nodes, SplittableRandom random) {
        List<NodePair> pairs = new ArrayList<>();
        List<String> leftovers = new ArrayList<>();
        for (List<String> rack : racks(nodes, random).values()) {
            Matching inside = consecutive(rack);
            pairs.addAll(inside.pairs());
            if (inside.oddNode() != null) {
                leftovers.add(inside.oddNode());
            }
        }
        Matching across = consecutive(Shuffle.shuffled(leftovers, random));
        pairs.addAll(across.pairs());
        return new Matching(pairs, across.oddNode());
    }

    /** Each rack's nodes in seeded random order; nodes without a rack form one group. */
    private static Map<String, List<String>> racks(List<TestNode> nodes, SplittableRandom random) {
        Map<String, List<String>> racks = new TreeMap<>();
        nodes.stream().sorted(Comparator.comparing(TestNode::name)).forEach(node -> racks
                .computeIfAbsent(node.rack() == null ? NO_RACK : node.rack(), r -> new ArrayList<>()).add(node.name()));
        racks.replaceAll((rack, members) -> Shuffle.shuffled(members, random));
        return racks;
    }
}
