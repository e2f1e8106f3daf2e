package dev.neper.fleet.operator.fleet.eligibility;

import java.net.InetAddress;

/** The subnet an address with a prefix length belongs to, as "network/prefix" (10.1.0.0/24). */
public record Subnet(String network) {

    /**
     * The subnet of an address literal; never a name lookup.
     *
     * @throws IllegalArgumentException when the address is not an IP literal or the prefix does not fit it
     */
    public static Subnet of(String address, int prefixLength) {
        byte[] bytes = InetAddress.ofLiteral(address).getAddress();
        if (prefixLength < 0 || prefixLength > bytes.length * 8) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " does not fit " + address);
        }
        for (int bit = prefixLength; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return new Subnet(InetAddress.getByAddress(bytes).getHostAddress() + "/" + prefixLength);
        } catch (java.net.UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    @Override
    public String toString() {
        return network;
    }
}
