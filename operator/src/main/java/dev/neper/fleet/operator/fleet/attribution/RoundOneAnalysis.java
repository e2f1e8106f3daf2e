package dev.neper.fleet.operator.fleet.attribution;

import dev.neper.fleet.operator.fleet.eligibility.EligibleFleet;
import dev.neper.fleet.operator.fleet.eligibility.TestNode;
import dev.neper.fleet.operator.fleet.judging.JudgedLink;
import dev.neper.fleet.operator.fleet.judging.RailStats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Round 1's findings. A rail is at fault fleet-wide when its median is far below the other rails' (a whole
 * rail slowed moves its own median, so relative thresholds alone would pass it), or when it fails on a
 * large share of the pairs whose other rails mostly pass (pairs with a bad node fail everywhere and are left
 * out, so bad nodes never make a rail look bad). Such a rail convicts no node: it is left out of suspects.
 */
public final class RoundOneAnalysis {
    private static final int EXAMPLES = 3;
    /** The share rule needs at least this many pairs to count: a rail failing on 4 pairs whose other rails pass is no accident. */
    private static final int MIN_SHARE_PAIRS = 4;

    private RoundOneAnalysis() {
    }

    public static RoundOneFindings analyse(EligibleFleet fleet, List<JudgedLink> roundOne, Map<String, RailStats> stats,
                                           int minSamples, AttributionThresholds thresholds) {
        List<RailFault> fleetRails = new ArrayList<>(slowRails(fleet, stats, minSamples, thresholds, roundOne));
        Set<String> slow = new HashSet<>();
        fleetRails.forEach(f -> slow.add(f.rail()));
        fleetRails.addAll(failingRails(fleet, slow, roundOne, minSamples, thresholds));
        fleetRails.sort(java.util.Comparator.comparing(RailFault::rail));
        Set<String> faulty = new HashSet<>();
        fleetRails.forEach(f -> faulty.add(f.rail()));

        Map<String, SortedSet<String>> suspects = new TreeMap<>();
        List<JudgedLink> failing = new ArrayList<>();
        for (JudgedLink test : roundOne) {
            if (!test.passed() && !faulty.contains(test.device())) {
                failing.add(test);
                suspects.computeIfAbsent(test.server(), n -> new TreeSet<>()).add(test.device());
                suspects.computeIfAbsent(test.client(), n -> new TreeSet<>()).add(test.device());
            }
        }
        Set<String> tested = new HashSet<>();
        roundOne.forEach(t -> {
            tested.add(t.server());
            tested.add(t.client());
        });
        List<String> good = fleet.nodes().stream().map(TestNode::name)
                .filter(n -> tested.contains(n) && !suspects.containsKey(n)).toList();
        return new RoundOneFindings(fleetRails, suspects, good, failing);
    }

    /**
     * The median rule, on the rail's median without the links of its slowest rack: one rack's slow switch
     * can hold half of a small fleet's links on that rail, which is a rack fault for the end of the run.
     */
    private static List<RailFault> slowRails(EligibleFleet fleet, Map<String, RailStats> stats, int minSamples,
                                             AttributionThresholds thresholds, List<JudgedLink> roundOne) {
        double[] medians = fleet.rails().stream().map(stats::get).filter(s -> s != null && s.samples() >= minSamples)
                .mapToDouble(RailStats::median).toArray();
        if (medians.length < 2) {
            return List.of();
        }
        double reference = RailStats.of("all", medians).median();
        Map<String, String> racks = racks(fleet);
        List<RailFault> faults = new ArrayList<>();
        for (String rail : fleet.rails()) {
            RailStats s = stats.get(rail);
            if (s == null || s.samples() < minSamples) {
                continue;
            }
            List<JudgedLink> measured = roundOne.stream().filter(t -> t.device().equals(rail) && t.gbps() != null).toList();
            Map<String, List<Double>> byRack = new HashMap<>();
            measured.forEach(t -> Stream.of(t.server(), t.client()).map(racks::get).filter(java.util.Objects::nonNull)
                    .distinct().forEach(r -> byRack.computeIfAbsent(r, k -> new ArrayList<>()).add(t.gbps())));
            String slowest = byRack.entrySet().stream()
                    .min(java.util.Comparator.comparingDouble(e -> median(e.getValue()))).map(Map.Entry::getKey).orElse(null);
            List<Double> elsewhere = measured.stream().filter(t -> slowest == null
                    || !(slowest.equals(racks.get(t.server())) || slowest.equals(racks.get(t.client()))))
                    .map(JudgedLink::gbps).toList();
            if (!elsewhere.isEmpty() && elsewhere.size() < minSamples) {
                continue; // too few links outside its slowest rack to tell the rack from the fleet
            }
            double median = elsewhere.isEmpty() ? s.median() : median(elsewhere);
            if (median < thresholds.railMedianFraction() * reference) {
                faults.add(new RailFault(rail, null, nodesOn(rail, roundOne), String.format(Locale.ROOT,
                        "%s's median %.1f Gbit/s%s is %.2f of the rails' median %.1f (below %s)", rail, median,
                        elsewhere.isEmpty() ? "" : " (rack " + slowest + " aside)", median / reference, reference,
                        thresholds.railMedianFraction()), examples(rail, roundOne, false)));
            }
        }
        return faults;
    }

    private static double median(List<Double> values) {
        return RailStats.of("", values.stream().mapToDouble(Double::doubleValue).toArray()).median();
    }

    private static Map<String, String> racks(EligibleFleet fleet) {
        Map<String, String> racks = new HashMap<>();
        fleet.nodes().stream().filter(n -> n.rack() != null).forEach(n -> racks.put(n.name(), n.rack()));
        return racks;
    }

    /**
     * The share rule, over round 1's pairs whose other rails mostly pass, leaving out the pairs of the rack
     * most involved in the rail's failures: one rack's bad switch fails every pair it is in (all of them in
     * a fleet of two racks paired across), which is a rack fault for the end of the run to name, not a
     * fleet-wide one.
     */
    private static List<RailFault> failingRails(EligibleFleet fleet, Set<String> slow, List<JudgedLink> roundOne,
                                                int minSamples, AttributionThresholds thresholds) {
        Map<String, String> racks = racks(fleet);
        Map<String, Map<String, JudgedLink>> pairs = new LinkedHashMap<>();
        for (JudgedLink test : roundOne) {
            pairs.computeIfAbsent(test.server() + "\n" + test.client(), k -> new HashMap<>()).put(test.device(), test);
        }
        List<RailFault> faults = new ArrayList<>();
        for (String rail : fleet.rails()) {
            if (slow.contains(rail)) {
                continue;
            }
            List<JudgedLink> clean = new ArrayList<>();
            for (Map<String, JudgedLink> pair : pairs.values()) {
                JudgedLink onRail = pair.get(rail);
                if (onRail != null && othersMostlyPass(pair, rail, slow)) {
                    clean.add(onRail);
                }
            }
            Map<String, Integer> involvement = new HashMap<>();
            clean.stream().filter(t -> !t.passed()).forEach(t -> Stream.of(t.server(), t.client()).map(racks::get)
                    .filter(java.util.Objects::nonNull).distinct().forEach(r -> involvement.merge(r, 1, Integer::sum)));
            String top = involvement.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
            List<JudgedLink> withoutTop = clean.stream()
                    .filter(t -> top == null || !(top.equals(racks.get(t.server())) || top.equals(racks.get(t.client()))))
                    .toList();
            // no pair outside that rack (one rack, two racks paired across): rack and fleet are the same thing
            List<JudgedLink> elsewhere = withoutTop.isEmpty() ? clean : withoutTop;
            String aside = elsewhere == withoutTop && top != null ? ", rack " + top + " aside" : "";
            long failing = elsewhere.stream().filter(t -> !t.passed()).count();
            // with one rail, pairs with a bad node cannot be set aside: ask for more
            double share = fleet.rails().size() > 1 ? thresholds.railFleetShare() : (1 + thresholds.railFleetShare()) / 2;
            long failingAll = clean.stream().filter(t -> !t.passed()).count();
            boolean fewButAll = elsewhere.size() < MIN_SHARE_PAIRS && failing == elsewhere.size() && failing > 0
                    && clean.size() >= MIN_SHARE_PAIRS && failingAll >= share * clean.size();
            if (fewButAll || elsewhere.size() >= MIN_SHARE_PAIRS && failing >= share * elsewhere.size()) {
                faults.add(new RailFault(rail, null, nodesOn(rail, roundOne), String.format(Locale.ROOT,
                        "%s fails on %d of the %d round-1 pairs whose other rails pass%s (at least %s)", rail, failing,
                        elsewhere.size(), aside, share),
                        examples(rail, roundOne, true)));
            }
        }
        return faults;
    }

    private static boolean othersMostlyPass(Map<String, JudgedLink> pair, String rail, Set<String> slow) {
        int others = 0;
        int passing = 0;
        for (JudgedLink other : pair.values()) {
            if (!other.device().equals(rail) && !slow.contains(other.device())) {
                others++;
                passing += other.passed() ? 1 : 0;
            }
        }
        return 2 * passing >= others;
    }

    private static int nodesOn(String rail, List<JudgedLink> roundOne) {
        Set<String> nodes = new HashSet<>();
        roundOne.stream().filter(t -> t.device().equals(rail)).forEach(t -> {
            nodes.add(t.server());
            nodes.add(t.client());
        });
        return nodes.size();
    }

    private static List<JudgedLink> examples(String rail, List<JudgedLink> roundOne, boolean failingOnly) {
        return roundOne.stream().filter(t -> t.device().equals(rail) && (!failingOnly || !t.passed()))
                .limit(EXAMPLES).toList();
    }
}
