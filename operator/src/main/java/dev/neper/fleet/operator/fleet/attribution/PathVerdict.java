package dev.neper.fleet.operator.fleet.attribution;

import dev.neper.fleet.operator.fleet.judging.JudgedLink;

import java.util.List;

/**
 * A verdict on the path between two nodes on one rail, no node blamed.
 *
 * @param server   round 1's server node
 * @param client   round 1's client node
 * @param device   the rail
 * @param verdict  Path (failed again on retest), Flaky (passed on retest) or Inconclusive (not retested)
 * @param reason   the rule and the numbers
 * @param evidence the round-1 test, both ends' good-partner tests, the retest
 */
public record PathVerdict(String server, String client, String device, Verdict verdict, String reason,
                          List<JudgedLink> evidence) {
    public PathVerdict {
        evidence = List.copyOf(evidence);
    }
}
