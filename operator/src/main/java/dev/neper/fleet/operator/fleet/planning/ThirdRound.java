package dev.neper.fleet.operator.fleet.planning;

import dev.neper.fleet.operator.fleet.attribution.Attribution;
import dev.neper.fleet.operator.fleet.attribution.AttributionThresholds;
import dev.neper.fleet.operator.fleet.attribution.DeviceClass;
import dev.neper.fleet.operator.fleet.attribution.DeviceFinding;
import dev.neper.fleet.operator.fleet.attribution.RoundOneFindings;
import dev.neper.fleet.operator.fleet.attribution.TestIndex;
import dev.neper.fleet.operator.fleet.eligibility.TestNode;
import dev.neper.fleet.operator.fleet.judging.JudgedLink;
import dev.neper.fleet.operator.fleet.pairing.Shuffle;
import dev.neper.fleet.operator.fleet.wave.PlannedPair;
import dev.neper.fleet.operator.fleet.wave.Purpose;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Round 3: the round-1 pairs that failed on a rail where both ends then passed with good partners are
 * tested again, once each way (a path fails both times, a flaky link passes; two retests, so that one
 * unlucky measurement cannot turn a flaky link into a path); a device that failed with as many good partners
 * as it passed with gets one more good partner, to decide by vote.
 */
final class ThirdRound {
    private static final long SEED_SALT = 0x526F756E64334CL;

    private ThirdRound() {
    }

    static List<PlannedPair> pairs(RoundOneFindings findings, TestIndex index, Map<String, TestNode> nodes,
                                   List<String> rails, Map<String, Set<String>> roundOnePeers,
                                   AttributionThresholds thresholds, long seed) {
        Map<String, Map<String, DeviceFinding>> classified = new HashMap<>();
        for (String suspect : findings.suspects().keySet()) {
            classified.put(suspect, Attribution.findings(suspect, rails, index, findings, thresholds));
        }
        Map<List<String>, Set<String>> retests = new LinkedHashMap<>();
        for (JudgedLink failed : findings.failingLinks()) {
            if (Attribution.needsRetest(failed, classified.get(failed.server()), classified.get(failed.client()))) {
                retests.computeIfAbsent(List.of(failed.server(), failed.client()), k -> new TreeSet<>()).add(failed.device());
            }
        }
        List<PlannedPair> pairs = new ArrayList<>();
        retests.forEach((pair, onRails) -> {
            pairs.add(Links.pair(nodes.get(pair.get(0)), nodes.get(pair.get(1)), onRails, Purpose.RETEST));
            pairs.add(Links.pair(nodes.get(pair.get(1)), nodes.get(pair.get(0)), onRails, Purpose.RETEST));
        });

        SplittableRandom random = new SplittableRandom(seed ^ SEED_SALT);
        GoodPartners partners = new GoodPartners(Shuffle.shuffled(findings.goodNodes(), random), nodes);
        for (String name : new TreeSet<>(classified.keySet())) {
            List<String> tied = rails.stream()
                    .filter(r -> classified.get(name).get(r).kind() == DeviceClass.TIED).toList();
            if (tied.isEmpty()) {
                continue;
            }
            List<TestNode> previous = new ArrayList<>();
            Set<String> exclude = new HashSet<>(roundOnePeers.getOrDefault(name, Set.of()));
            exclude.add(name);
            for (String rail : rails) {
                for (JudgedLink t : classified.get(name).get(rail).withGoodPartners()) {
                    if (exclude.add(t.peerOf(name))) {
                        previous.add(nodes.get(t.peerOf(name)));
                    }
                }
            }
            List<TestNode> vote = partners.choose(nodes.get(name), 1, exclude, previous);
            vote.forEach(partner -> pairs.add(Links.pair(nodes.get(name), partner, tied, Purpose.VOTE)));
        }
        return pairs;
    }
}
