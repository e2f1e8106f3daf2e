package dev.neper.fleet.operator.fleet.planning;

import dev.neper.fleet.operator.fleet.eligibility.TestNode;
import dev.neper.fleet.operator.fleet.judging.JudgedLink;
import dev.neper.fleet.operator.fleet.judging.JudgingThresholds;
import dev.neper.fleet.operator.fleet.judging.LinkJudge;
import dev.neper.fleet.operator.fleet.pairing.Shuffle;
import dev.neper.fleet.operator.fleet.wave.LinkMeasurement;
import dev.neper.fleet.operator.fleet.wave.PlannedPair;
import dev.neper.fleet.operator.fleet.wave.Purpose;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Round 1's odd node out is tested with a node that already passed (judged on round 1's results so far),
 * in another rack when one passed there; when none passed, with any node already tested, so that it has
 * a round-1 result all the same.
 */
final class OddNode {
    private static final long SEED_SALT = 0x6F64644E6F646531L;

    private OddNode() {
    }

    static Optional<PlannedPair> pair(String odd, List<LinkMeasurement> roundOneSoFar, Map<String, TestNode> nodes,
                                      List<String> rails, JudgingThresholds thresholds, long seed) {
        LinkJudge judge = new LinkJudge(thresholds, LinkJudge.railStats(rails, roundOneSoFar));
        Set<String> tested = new TreeSet<>();
        Set<String> failed = new HashSet<>();
        for (LinkMeasurement m : roundOneSoFar) {
            tested.add(m.server());
            tested.add(m.client());
            JudgedLink judged = judge.judge(1, Purpose.FIRST_ROUND, m);
            if (!judged.passed()) {
                failed.add(m.server());
                failed.add(m.client());
            }
        }
        List<String> order = Shuffle.shuffled(tested, new SplittableRandom(seed ^ SEED_SALT));
        TestNode oddNode = nodes.get(odd);
        Optional<String> partner = order.stream()
                .filter(n -> !failed.contains(n) && nodes.get(n).inOtherRackThan(oddNode)).findFirst()
                .or(() -> order.stream().filter(n -> !failed.contains(n)).findFirst())
                .or(() -> order.stream().findFirst());
        return partner.map(p -> Links.pair(nodes.get(p), oddNode, rails, Purpose.ODD_NODE));
    }
}
