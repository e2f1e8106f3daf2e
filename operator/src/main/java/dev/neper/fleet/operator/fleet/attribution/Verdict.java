package dev.neper.fleet.operator.fleet.attribution;

/** What a fleet run concluded about a node, one of its devices, a path or a rail. */
public enum Verdict {
    /** Every test it took passed, or its failures are explained by another verdict. */
    Healthy,
    /** A device fails with both good partners while the node's other devices pass. */
    LinkFault,
    /** Most of the node's devices fail with good partners: the host (PCIe, driver, devmem setup). */
    NodeFault,
    /** A pair failed, both ends pass with good partners, and the pair fails again on retest: no node blamed. */
    Path,
    /** One device fails across a large share of the fleet, or on every node of a rack: the switch side. */
    RailFault,
    /** Failed once, passed on retest (a pair), or failed with fewer good partners than it passed with (a device). */
    Flaky,
    /** A suspect that too few good partners could test. */
    Inconclusive,
    /** Not tested and not the node's fault as far as we know: not Ready, cordoned or excluded. */
    Skipped,
    /** Cannot take the test: a selected device, address or preflight is missing. */
    Unqualified
}
