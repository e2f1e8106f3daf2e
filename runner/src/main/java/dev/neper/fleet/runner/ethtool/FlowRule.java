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

    /** The fallback ncdevmem uses when a NIC refuses the full rule: destination address and port only. */
    public FlowRule destinationOnly() {
        return new FlowRule(null, destinationIp, -1, destinationPort, queue);
    }

    public boolean isDestinationOnly() {
        return sourceIp == null && sourcePort < 0;
    }

    /** What the rule matches: "5-tuple", "dst-ip+dst-port", or the fields in between, e.g. "src-ip+dst-ip+dst-port". */
    public String match() {
        if (sourceIp != null && sourcePort >= 0) {
            return "5-tuple";
        }
        return (sourceIp != null ? "src-ip+" : "") + "dst-ip" + (sourcePort >= 0 ? "+src-port" : "") + "+dst-port";
    }

    @Override
    public String toString() {
        return "flow-type " + (ipv6() ? "tcp6" : "tcp4") + (sourceIp != null ? " src-ip " + sourceIp.getHostAddress() : "")
                + " dst-ip " + destinationIp.getHostAddress() + (sourcePort >= 0 ? " src-port " + sourcePort : "")
                + " dst-port " + destinationPort + " queue " + queue;
    }
}
