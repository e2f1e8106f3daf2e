package dev.neper.fleet.operator.fleet.eligibility;

import java.util.List;

/**
 * What the controller saw of one selected node before any traffic test.
 *
 * @param name             the node's name
 * @param rack             the node's value of the topology label (a rack or block), or null when it has none
 * @param ready            the node's Ready condition is True
 * @param cordoned         the node is unschedulable
 * @param excluded         the fleet test's spec excludes it
 * @param preflightFailure why the mode's preflight (doctor) failed on it, or null when it passed
 * @param devices          the devices discovery found on it (all of them, selected or not)
 */
public record ObservedNode(String name, String rack, boolean ready, boolean cordoned, boolean excluded,
                           String preflightFailure, List<ObservedDevice> devices) {
    public ObservedNode {
        devices = List.copyOf(devices);
    }
}
