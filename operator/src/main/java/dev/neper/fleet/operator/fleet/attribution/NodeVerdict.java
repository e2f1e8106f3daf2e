package dev.neper.fleet.operator.fleet.attribution;

import dev.neper.fleet.operator.fleet.judging.JudgedLink;

import java.util.List;

/**
 * A verdict on one node.
 *
 * @param node     the node
 * @param rack     its topology value, or null
 * @param verdict  the worst of NodeFault, LinkFault, Inconclusive, Flaky, Healthy; or Skipped, Unqualified
 * @param devices  the devices the verdict names (the failing ones; the one at fault for Unqualified)
 * @param reason   the rule and the numbers, or the pre-verdict's reason
 * @param details  every non-healthy device with its own verdict and evidence
 */
public record NodeVerdict(String node, String rack, Verdict verdict, List<String> devices, String reason,
                          List<DeviceVerdict> details) {
    public NodeVerdict {
        devices = List.copyOf(devices);
        details = List.copyOf(details);
    }

    public static NodeVerdict healthy(String node, String rack) {
        return new NodeVerdict(node, rack, Verdict.Healthy, List.of(), null, List.of());
    }

    /** The tests behind every device verdict. */
    public List<JudgedLink> evidence() {
        return details.stream().flatMap(d -> d.evidence().stream()).distinct().toList();
    }
}
