package dev.neper.fleet.operator.fleet.attribution;

import dev.neper.fleet.operator.fleet.judging.JudgedLink;

import java.util.List;

/**
 * A verdict on one device of a node.
 *
 * @param device   the device
 * @param verdict  LinkFault, Flaky or Inconclusive (healthy devices are not listed)
 * @param reason   the rule and the numbers
 * @param evidence the tests that decided it
 */
public record DeviceVerdict(String device, Verdict verdict, String reason, List<JudgedLink> evidence) {
    public DeviceVerdict {
        evidence = List.copyOf(evidence);
    }
}
