package dev.neper.fleet.runner.netlink;

import java.io.IOException;

/** A netlink datagram or attribute stream that does not hold together (lengths out of bounds, truncated headers). */
public final class NetlinkParseException extends IOException {
    public NetlinkParseException(String message) {
        super(message);
    }
}
