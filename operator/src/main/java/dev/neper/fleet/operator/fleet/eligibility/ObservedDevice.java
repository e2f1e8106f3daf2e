package dev.neper.fleet.operator.fleet.eligibility;

import dev.neper.fleet.runner.contract.NetworkDevice;

import java.net.InetAddress;

/**
 * One network device of a node as discovery reported it.
 *
 * @param name         the interface name (eth1)
 * @param address      its IPv4 or IPv6 address as a literal, or null when it has none
 * @param prefixLength the length of the address's subnet prefix (24 for a /24), or null when unknown
 */
public record ObservedDevice(String name, String address, Integer prefixLength) {

    /**
     * The device as {@code neper-runner discover} reported it: its first address that is not link-local
     * (fe80::/10, 169.254.0.0/16: never routed, and not what a rail's peers use). An entry that does not
     * parse is kept as it is, so that eligibility names it.
     */
    public static ObservedDevice of(NetworkDevice device) {
        for (String entry : device.addresses()) {
            String[] parts = entry.split("/", 2);
            if (linkLocal(parts[0])) {
                continue;
            }
            Integer prefix = null;
            if (parts.length == 2) {
                try {
                    prefix = Integer.valueOf(parts[1]);
                } catch (NumberFormatException e) {
                    prefix = -1; // eligibility refuses it with the address and prefix quoted
                }
            }
            return new ObservedDevice(device.name(), parts[0], prefix);
        }
        return new ObservedDevice(device.name(), null, null);
    }

    private static boolean linkLocal(String literal) {
        try {
            return InetAddress.ofLiteral(literal).isLinkLocalAddress();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
