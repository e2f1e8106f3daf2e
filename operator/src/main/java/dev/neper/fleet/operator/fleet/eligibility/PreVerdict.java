package dev.neper.fleet.operator.fleet.eligibility;

/**
 * The verdict of a node that gets no traffic test.
 *
 * @param node   the node's name
 * @param kind   Skipped (not Ready, cordoned or excluded: not the node's fault as far as we know) or
 *               Unqualified (it cannot run the test: a missing device, address or preflight)
 * @param device the selected device at fault, or null when the reason is the whole node's
 * @param reason why, in words that name what is missing
 */
public record PreVerdict(String node, Kind kind, String device, String reason) {
    public enum Kind { Skipped, Unqualified }
}
