package dev.neper.fleet.operator.fleet.summary;

import java.util.List;

/**
 * A non-healthy node in the status.
 *
 * @param node     the node
 * @param verdict  its verdict
 * @param devices  the devices the verdict names
 * @param reason   the rule and the numbers
 * @param evidence the deciding tests, one line per tested pair: "r2 node-0100: eth3 91.2 &lt;median, eth5 ok"
 */
public record NodeEntry(String node, String verdict, List<String> devices, String reason, List<String> evidence) {
}
