package dev.neper.fleet.operator.fleet.planning;

import dev.neper.fleet.operator.fleet.eligibility.TestNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Hands out known-good partners round-robin over a seeded order of the good nodes, so each serves about
 * as many suspects as any other (fewer waves), preferring a partner in another rack than the suspect and
 * than the suspect's other partners, then one in another rack than the suspect, then any.
 */
final class GoodPartners {
    private final List<TestNode> pool;
    private int cursor;

    GoodPartners(List<String> goodNodesInSeededOrder, Map<String, TestNode> nodes) {
        this.pool = goodNodesInSeededOrder.stream().map(nodes::get).toList();
    }

    /**
     * Up to {@code count} partners for a suspect, none of them in {@code exclude}.
     *
     * @param suspect  the suspect node
     * @param count    how many partners
     * @param exclude  nodes it must not get (itself, its round-1 peers, partners it already had)
     * @param previous partners it already had, whose racks the new ones avoid when they can
     */
    List<TestNode> choose(TestNode suspect, int count, Set<String> exclude, Collection<TestNode> previous) {
        List<TestNode> chosen = new ArrayList<>();
        List<TestNode> others = new ArrayList<>(previous);
        while (chosen.size() < count) {
            TestNode next = take(exclude, chosen,
                    g -> g.inOtherRackThan(suspect) && others.stream().allMatch(g::inOtherRackThan));
            if (next == null) {
                next = take(exclude, chosen, g -> g.inOtherRackThan(suspect));
            }
            if (next == null) {
                next = take(exclude, chosen, g -> true);
            }
            if (next == null) {
                break;
            }
            chosen.add(next);
            others.add(next);
        }
        return chosen;
    }

    private TestNode take(Set<String> exclude, List<TestNode> chosen, Predicate<TestNode> wanted) {
        for (int step = 0; step < pool.size(); step++) {
            TestNode candidate = pool.get((cursor + step) % pool.size());
            if (!exclude.contains(candidate.name()) && !chosen.contains(candidate) && wanted.test(candidate)) {
                cursor = (cursor + step + 1) % pool.size();
                return candidate;
            }
        }
        return null;
    }
}
