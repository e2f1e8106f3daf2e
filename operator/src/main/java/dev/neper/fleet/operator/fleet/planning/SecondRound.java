package dev.neper.fleet.operator.fleet.planning;

import dev.neper.fleet.operator.fleet.attribution.RoundOneFindings;
import dev.neper.fleet.operator.fleet.eligibility.TestNode;
import dev.neper.fleet.operator.fleet.pairing.Shuffle;
import dev.neper.fleet.operator.fleet.wave.PlannedPair;
import dev.neper.fleet.operator.fleet.wave.Purpose;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Round 2: every suspect node with {@code goodPartners} different nodes that passed round 1, in other racks
 * when the topology allows, over its suspect rails. The suspect receives from its first partner and sends
 * to its second, so a fault in one direction shows either way.
 */
final class SecondRound {
    private static final long SEED_SALT = 0x526F756E64324CL;

    private SecondRound() {
    }

    static List<PlannedPair> pairs(RoundOneFindings findings, Map<String, TestNode> nodes,
                                   Map<String, Set<String>> roundOnePeers, int goodPartners, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ SEED_SALT);
        GoodPartners partners = new GoodPartners(Shuffle.shuffled(findings.goodNodes(), random), nodes);
        List<String> suspects = Shuffle.shuffled(new java.util.TreeSet<>(findings.suspects().keySet()), random);
        List<PlannedPair> pairs = new ArrayList<>();
        for (String name : suspects) {
            TestNode suspect = nodes.get(name);
            Set<String> exclude = new HashSet<>(roundOnePeers.getOrDefault(name, Set.of()));
            exclude.add(name);
            List<TestNode> chosen = partners.choose(suspect, goodPartners, exclude, List.of());
            for (int i = 0; i < chosen.size(); i++) {
                TestNode partner = chosen.get(i);
                pairs.add(i % 2 == 1
                        ? Links.pair(partner, suspect, findings.suspects().get(name), Purpose.GOOD_PARTNER)
                        : Links.pair(suspect, partner, findings.suspects().get(name), Purpose.GOOD_PARTNER));
            }
        }
        return pairs;
    }
}
