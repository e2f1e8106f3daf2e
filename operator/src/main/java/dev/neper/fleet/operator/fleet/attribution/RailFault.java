package dev.neper.fleet.operator.fleet.attribution;

import dev.neper.fleet.operator.fleet.judging.JudgedLink;

import java.util.List;

/**
 * A rail at fault on the switch side: across the fleet, or in one rack.
 *
 * @param rail     the rail's device name
 * @param rack     the rack whose switch side is at fault, or null when the whole rail is
 * @param nodes    how many tested nodes it touches
 * @param reason   the rule and the numbers that decided it
 * @param evidence a few of the failing tests, as examples
 */
public record RailFault(String rail, String rack, int nodes, String reason, List<JudgedLink> evidence) {
    public RailFault {
        evidence = List.copyOf(evidence);
    }

    /** "eth3 switch plane (fleet-wide)" or "eth3 switch of rack r7". */
    public String switchSide() {
        return rack == null ? rail + " switch plane (fleet-wide)" : rail + " switch of rack " + rack;
    }
}
