package dev.neper.fleet.runner.netlink;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * One netlink message from a datagram: the nlmsghdr fields (len u32, type u16, flags u16, seq u32,
 * pid u32) and the payload after the 16-byte header.
 */
public record NetlinkMessage(int type, int flags, int sequence, int portId, MemorySegment payload) {
    /** Splits a received datagram into its messages, checking every length against the bytes present. */
    public static List<NetlinkMessage> parseAll(MemorySegment datagram) throws NetlinkParseException {
        List<NetlinkMessage> messages = new ArrayList<>();
        long size = datagram.byteSize();
        long offset = 0;
        while (size - offset >= Netlink.NLMSG_HDRLEN) {
            long length = Integer.toUnsignedLong(datagram.get(ValueLayout.JAVA_INT_UNALIGNED, offset));
            if (length < Netlink.NLMSG_HDRLEN || length > size - offset) {
                throw new NetlinkParseException("netlink message at offset " + offset + " has length " + length
                        + " with " + (size - offset) + " bytes left");
            }
            messages.add(new NetlinkMessage(
                    Short.toUnsignedInt(datagram.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset + 4)),
                    Short.toUnsignedInt(datagram.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset + 6)),
                    datagram.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 8),
                    datagram.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 12),
                    datagram.asSlice(offset + Netlink.NLMSG_HDRLEN, length - Netlink.NLMSG_HDRLEN)));
            offset += Netlink.align((int) length);
        }
        return messages;
    }

    /** The attributes of a generic netlink message: after the 4-byte genlmsghdr. */
    public Attributes genlAttributes() throws NetlinkParseException {
        if (payload.byteSize() < Netlink.GENL_HDRLEN) {
            throw new NetlinkParseException("generic netlink message of type " + type + " has no genlmsghdr");
        }
        return Attributes.parse(payload.asSlice(Netlink.GENL_HDRLEN));
    }

    /** The genlmsghdr's command. */
    public int genlCommand() throws NetlinkParseException {
        if (payload.byteSize() < Netlink.GENL_HDRLEN) {
            throw new NetlinkParseException("generic netlink message of type " + type + " has no genlmsghdr");
        }
        return Byte.toUnsignedInt(payload.get(ValueLayout.JAVA_BYTE, 0));
    }
}
