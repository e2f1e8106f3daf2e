package dev.neper.fleet.operator.fleet.sim;

import dev.neper.fleet.operator.fleet.eligibility.ObservedDevice;
import dev.neper.fleet.operator.fleet.eligibility.ObservedNode;
import dev.neper.fleet.operator.fleet.pairing.Matching;
import dev.neper.fleet.operator.fleet.pairing.NodePair;
import dev.neper.fleet.operator.fleet.pairing.Shuffle;
import dev.neper.fleet.operator.fleet.wave.LinkMeasurement;
import dev.neper.fleet.operator.fleet.wave.PlannedLink;
import dev.neper.fleet.operator.fleet.wave.PlannedPair;
import dev.neper.fleet.operator.fleet.wave.Wave;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A fleet of simulated nodes with injected faults, and the link throughput it would measure: nominal
 * 190 Gbit/s with Gaussian jitter; a slowdown fault runs a link at 30-70% of nominal, an error fault fails
 * it with an error kind. A link meets every fault on its way: both devices, both nodes, the path, the
 * rail fleet-wide and in both racks. Faults are disjoint so each one is observable (a bad link never on a
 * rail already bad fleet-wide or in its rack); paths and flaky devices are placed on round 1's pairs, as
 * they are only observable on pairs the plan tests.
 */
public final class SimulatedFleet {
    /** A fault's effect: a throughput factor, or an error kind. */
    record Fault(double factor, String errorKind) {
    }

    private final SimConfig config;
    private final SplittableRandom faultRandom;
    private final SplittableRandom noise;
    private final List<ObservedNode> observed = new ArrayList<>();
    private final Map<String, String> racks = new HashMap<>();
    private final List<String> rails = new ArrayList<>();
    private final Map<String, Fault> badNodes = new LinkedHashMap<>();
    private final Map<String, Fault> badLinks = new LinkedHashMap<>();
    private final Map<String, Fault> badPaths = new LinkedHashMap<>();
    private final Map<String, Fault> badRails = new LinkedHashMap<>();
    private final Map<String, Fault> badRackRails = new LinkedHashMap<>();
    private final Map<String, Fault> flaky = new LinkedHashMap<>();
    private final Set<String> flakyUsed = new HashSet<>();
    private final Set<String> offSubnet = new HashSet<>();
    private final Set<String> pathEnds = new HashSet<>();

    private SimulatedFleet(SimConfig config) {
        this.config = config;
        this.faultRandom = new SplittableRandom(config.seed());
        this.noise = new SplittableRandom(config.seed() * 31 + 7);
    }

    public static SimulatedFleet build(SimConfig config) {
        SimulatedFleet fleet = new SimulatedFleet(config);
        fleet.layOut();
        fleet.injectBeforeRoundOne();
        return fleet;
    }

    public static String name(int i) {
        return String.format(Locale.ROOT, "node-%04d", i);
    }

    private void layOut() {
        for (int r = 1; r <= config.rails(); r++) {
            rails.add("eth" + r);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < config.nodes(); i++) {
            names.add(name(i));
        }
        Shuffle.shuffled(names, faultRandom).stream().limit(config.offSubnet()).forEach(offSubnet::add);
        for (int i = 0; i < config.nodes(); i++) {
            String rack = String.format(Locale.ROOT, "rack-%03d", i / config.rackSize());
            racks.put(name(i), rack);
            List<ObservedDevice> devices = new ArrayList<>();
            for (int r = 1; r <= config.rails(); r++) {
                int second = offSubnet.contains(name(i)) && r == 1 ? 200 + r : r;
                devices.add(new ObservedDevice("eth" + r, "10." + second + "." + (i / 250) + "." + (1 + i % 250), 16));
            }
            observed.add(new ObservedNode(name(i), rack, true, false, false, null, devices));
        }
    }

    private Fault fault() {
        if (faultRandom.nextDouble() < config.errorShare()) {
            String[] kinds = {"LINK_DOWN", "DATA_CONNECTION", "NO_DATA", "CONNECT_FAILED"};
            return new Fault(0, kinds[faultRandom.nextInt(kinds.length)]);
        }
        return new Fault(0.3 + 0.4 * faultRandom.nextDouble(), null);
    }

    private List<String> testableNodes() {
        return observed.stream().map(ObservedNode::name).filter(n -> !offSubnet.contains(n)).sorted().toList();
    }

    private void injectBeforeRoundOne() {
        for (String rail : Shuffle.shuffled(rails, faultRandom).subList(0, Math.min(config.badRails(), rails.size()))) {
            badRails.put(rail, fault());
        }
        List<String> okRails = rails.stream().filter(r -> !badRails.containsKey(r)).toList();
        Map<String, Integer> rackSizes = new HashMap<>();
        testableNodes().forEach(n -> rackSizes.merge(racks.get(n), 1, Integer::sum));
        List<String> bigRacks = rackSizes.entrySet().stream().filter(e -> e.getValue() >= 3).map(Map.Entry::getKey)
                .sorted().toList();
        if (config.badRackRails() > 0 && (bigRacks.size() < 4 || okRails.isEmpty())) {
            throw new IllegalArgumentException("a rack rail fault needs 4 racks of 3 nodes or more and a rail not bad fleet-wide");
        }
        for (String rack : Shuffle.shuffled(bigRacks, faultRandom).subList(0, Math.min(config.badRackRails(), bigRacks.size()))) {
            badRackRails.put(rack + "/" + okRails.get(faultRandom.nextInt(okRails.size())), fault());
        }
        // a node fault needs two devices seen failing: in a rack whose rail is bad, with too few other rails
        // left, a bad node is as far as any test can tell a bad device or that rack's fault
        boolean roomInBadRacks = rails.size() - badRails.size() - 1 >= 2;
        List<String> nodes = Shuffle.shuffled(testableNodes().stream().filter(n -> roomInBadRacks
                || badRackRails.keySet().stream().noneMatch(k -> k.startsWith(racks.get(n) + "/"))).toList(), faultRandom);
        // a rack whose rail is bad keeps 3 nodes with no other fault, or no rule could tell it from them
        Map<String, Integer> spare = new HashMap<>();
        badRackRails.keySet().forEach(k -> spare.put(k.split("/")[0], rackSizes.get(k.split("/")[0]) - 3));
        List<String> skipped = new ArrayList<>();
        int next = 0;
        while (badNodes.size() < config.badNodes() && next < nodes.size()) {
            String node = nodes.get(next++);
            if (spare.getOrDefault(racks.get(node), 1) <= 0) {
                skipped.add(node);
                continue;
            }
            spare.computeIfPresent(racks.get(node), (rack, left) -> left - 1);
            badNodes.put(node, fault());
        }
        nodes = new ArrayList<>(nodes.subList(next, nodes.size()));
        nodes.addAll(skipped);
        next = 0;
        for (int i = 0; i < config.badLinks() && next < nodes.size(); i++) {
            String node = nodes.get(next++);
            if (spare.getOrDefault(racks.get(node), 1) <= 0) {
                i--;
                continue;
            }
            spare.computeIfPresent(racks.get(node), (rack, left) -> left - 1);
            List<String> free = okRails.stream().filter(r -> !badRackRails.containsKey(racks.get(node) + "/" + r)).toList();
            if (!free.isEmpty()) {
                badLinks.put(node + "/" + free.get(faultRandom.nextInt(free.size())), fault());
            }
        }
    }

    /** Bad paths and flaky devices go on round-1 pairs of two untouched nodes, on a rail bad nowhere near them. */
    public void injectAfterMatching(Matching matching) {
        List<NodePair> pairs = Shuffle.shuffled(matching.pairs(), faultRandom);
        int paths = 0;
        int flakies = 0;
        for (NodePair pair : pairs) {
            if (paths == config.badPaths() && flakies == config.flaky()) {
                break;
            }
            if (touched(pair.server()) || touched(pair.client())) {
                continue;
            }
            List<String> free = rails.stream().filter(r -> !badRails.containsKey(r)
                    && !badRackRails.containsKey(racks.get(pair.server()) + "/" + r)
                    && !badRackRails.containsKey(racks.get(pair.client()) + "/" + r)).toList();
            if (free.isEmpty()) {
                continue;
            }
            String rail = free.get(faultRandom.nextInt(free.size()));
            if (paths < config.badPaths()) {
                badPaths.put(pathKey(pair.server(), pair.client(), rail), fault());
                pathEnds.add(pair.server());
                pathEnds.add(pair.client());
                paths++;
            } else {
                String node = faultRandom.nextBoolean() ? pair.server() : pair.client();
                flaky.put(node + "/" + rail, fault());
                flakies++;
            }
        }
    }

    private boolean touched(String node) {
        return badNodes.containsKey(node) || rails.stream().anyMatch(r -> badLinks.containsKey(node + "/" + r)
                || flaky.containsKey(node + "/" + r))
                || pathEnds.contains(node);
    }

    static String pathKey(String a, String b, String rail) {
        return (a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a) + "/" + rail;
    }

    public List<ObservedNode> observed() {
        return observed;
    }

    public List<String> rails() {
        return rails;
    }

    public Map<String, String> racks() {
        return racks;
    }

    /** What the wave measures, every link of every pair. */
    public List<LinkMeasurement> measure(Wave wave) {
        List<LinkMeasurement> results = new ArrayList<>();
        for (PlannedPair pair : wave.pairs()) {
            for (PlannedLink link : pair.links()) {
                results.add(measure(pair.server(), pair.client(), link.device()));
            }
        }
        return results;
    }

    private LinkMeasurement measure(String server, String client, String rail) {
        List<Fault> faults = new ArrayList<>();
        addIfPresent(faults, badNodes.get(server));
        addIfPresent(faults, badNodes.get(client));
        addIfPresent(faults, badLinks.get(server + "/" + rail));
        addIfPresent(faults, badLinks.get(client + "/" + rail));
        addIfPresent(faults, badPaths.get(pathKey(server, client, rail)));
        addIfPresent(faults, badRails.get(rail));
        addIfPresent(faults, badRackRails.get(racks.get(server) + "/" + rail));
        addIfPresent(faults, badRackRails.get(racks.get(client) + "/" + rail));
        for (String end : List.of(server, client)) {
            String device = end + "/" + rail;
            if (flaky.containsKey(device) && flakyUsed.add(device)) {
                faults.add(flaky.get(device));
            }
        }
        double factor = 1;
        for (Fault fault : faults) {
            if (fault.errorKind() != null) {
                return LinkMeasurement.failed(server, client, rail, fault.errorKind(), "simulated " + fault.errorKind());
            }
            factor = Math.min(factor, fault.factor());
        }
        double gbps = SimConfig.NOMINAL_GBPS * factor * (1 + config.jitter() * noise.nextGaussian());
        return LinkMeasurement.of(server, client, rail, Math.max(0, gbps));
    }

    private static void addIfPresent(List<Fault> faults, Fault fault) {
        if (fault != null) {
            faults.add(fault);
        }
    }

    /** The injected faults as the keys {@link Score} compares verdicts with. */
    public Truth truth() {
        Set<String> convictions = new HashSet<>();
        // with one rail a bad node and a bad device look the same: the device is what the tests can name
        badNodes.keySet().forEach(n -> convictions.add(rails.size() == 1 ? "link " + n + "/" + rails.getFirst() : "node " + n));
        badLinks.keySet().forEach(k -> convictions.add("link " + k));
        badPaths.keySet().forEach(k -> convictions.add("path " + k));
        badRails.keySet().forEach(r -> convictions.add("rail " + r));
        badRackRails.keySet().forEach(k -> {
            String[] rackRail = k.split("/");
            convictions.add("rail " + rackRail[1] + "@" + rackRail[0]);
        });
        return new Truth(convictions, Set.copyOf(flaky.keySet()), Set.copyOf(offSubnet));
    }

    /**
     * What was injected.
     *
     * @param convictions "node N", "link N/D", "path A|B/D", "rail D", "rail D@RACK"
     * @param flaky       "N/D" devices that fail once
     * @param unqualified nodes with an address off their rail's subnet
     */
    public record Truth(Set<String> convictions, Set<String> flaky, Set<String> unqualified) {
    }
}
