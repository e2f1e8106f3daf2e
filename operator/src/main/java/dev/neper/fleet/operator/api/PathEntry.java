package dev.neper.fleet.operator.fleet.summary;

import java.util.List;

/**
 * A path or flaky pair in the status.
 *
 * @param nodes    the two nodes, round 1's server first
 * @param device   the rail
 * @param verdict  Path, Flaky or Inconclusive
 * @param reason   the rule and the numbers
 * @param evidence the deciding tests, one line each
 */
public record PathEntry(List<String> nodes, String device, String verdict, String reason, List<String> evidence) {
}
