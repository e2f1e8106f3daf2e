package dev.neper.fleet.runner.contract;

/**
 * A flow rule a devmem receiver installed: the rule as ethtool -N would print it, what it matches
 * ("5-tuple", "dst-ip+dst-port", ...), the rule table location it went to, and {@code refused}, the
 * fuller rule the NIC refused first (null when the first rule was taken).
 */
public record FlowRuleReport(String rule, String match, int location, String refused) {
}
