package dev.neper.fleet.operator.fleet.eligibility;

/**
 * One network device of a node as discovery reported it.
 *
 * @param name         the interface name (eth1)
 * @param address      its IPv4 or IPv6 address as a literal, or null when it has none
 * @param prefixLength the length of the address's subnet prefix (24 for a /24), or null when unknown
 */
public record ObservedDevice(String name, String address, Integer prefixLength) {
}
