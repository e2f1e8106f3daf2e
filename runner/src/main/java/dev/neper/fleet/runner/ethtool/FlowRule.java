package dev.neper.fleet.runner.ethtool;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * An ntuple rule steering TCP packets to an RX queue: destination address and port always, source
 * address and port when known (null / -1 otherwise: wildcards), as ethtool's
 * {@code -N flow-type tcp4 [src-ip C] dst-ip S [src-port P] dst-port P queue Q}.
 */
public record FlowRule(InetAddress sourceIp, InetAddress destinationIp, int sourcePort, int destinationPort,
                       int queue) {
    public FlowRule {
        if (destinationIp == null) {
            throw new IllegalArgumentException("a flow rule needs a destination address");
        }
        if (sourceIp != null && (sourceIp instanceof Inet6Address) != (destinationIp instanceof Inet6Address)) {
            throw new IllegalArgumentException("flow rule mixes IPv4 and IPv6: " + sourceIp + " -> " + destinationIp);
        }
    }

    public boolean ipv6() {
        return destinationIp instanceof Inet6Address;
    }

    /** The same rule without the source port: the 3-tuple fallback for NICs that cannot match 5-tuples. */
    public FlowRule withoutSourcePort() {
        return new FlowRule(sourceIp, destinationIp, -1, destinationPort, queue);
    }

    @Override
    public String toString() {
        return "flow-type " + (ipv6() ? "tcp6" : "tcp4") + (sourceIp != null ? " src-ip " + sourceIp.getHostAddress() : "")
                + " dst-ip " + destinationIp.getHostAddress() + (sourcePort >= 0 ? " src-port " + sourcePort : "")
                + " dst-port " + destinationPort + " queue " + queue;
    }
}
