package dev.neper.fleet.runner.netlink;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The payload of NLMSG_ERROR (and of a dump's NLMSG_DONE): s32 error (0 = ACK, else -errno), the
 * original request's header (and its payload unless the reply is capped), then, with
 * NLM_F_ACK_TLVS, the extended ack: message text, bad-attribute offset, missing attribute.
 * Absent fields are null.
 */
public record ErrorReply(int error, String message, Integer badAttributeOffset, Integer missingType,
                         Integer missingNest) {
    /** Parses an NLMSG_ERROR payload; {@code flags} are the reply's nlmsghdr flags. */
    public static ErrorReply parseError(MemorySegment payload, int flags) throws NetlinkParseException {
        if (payload.byteSize() < 4 + Netlink.NLMSG_HDRLEN) {
            throw new NetlinkParseException("NLMSG_ERROR of " + payload.byteSize() + " bytes is too short");
        }
        int error = payload.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
        long tlvs = 4 + Netlink.NLMSG_HDRLEN;
        if ((flags & Netlink.NLM_F_CAPPED) == 0 && error != 0) {
            long originalLength = Integer.toUnsignedLong(payload.get(ValueLayout.JAVA_INT_UNALIGNED, 4));
            if (originalLength < Netlink.NLMSG_HDRLEN || 4 + originalLength > payload.byteSize()) {
                throw new NetlinkParseException("NLMSG_ERROR echoes a request of " + originalLength + " bytes in "
                        + payload.byteSize());
            }
            tlvs = 4 + Netlink.align((int) originalLength);
        }
        return withExtendedAck(error, (flags & Netlink.NLM_F_ACK_TLVS) != 0 && tlvs <= payload.byteSize()
                ? payload.asSlice(tlvs) : null);
    }

    /** Parses a dump's NLMSG_DONE payload: s32 error, then extended-ack TLVs when flagged. */
    public static ErrorReply parseDone(MemorySegment payload, int flags) throws NetlinkParseException {
        if (payload.byteSize() < 4) {
            return new ErrorReply(0, null, null, null, null);
        }
        int error = payload.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
        return withExtendedAck(error, (flags & Netlink.NLM_F_ACK_TLVS) != 0 ? payload.asSlice(4) : null);
    }

    private static ErrorReply withExtendedAck(int error, MemorySegment tlvs) throws NetlinkParseException {
        if (tlvs == null) {
            return new ErrorReply(error, null, null, null, null);
        }
        Attributes ack = Attributes.parse(tlvs);
        String message = ack.first(Netlink.NLMSGERR_ATTR_MSG).map(Attribute::string).orElse(null);
        Integer offset = ack.has(Netlink.NLMSGERR_ATTR_OFFS) ? ack.require(Netlink.NLMSGERR_ATTR_OFFS, "offset").u32() : null;
        Integer missingType = ack.has(Netlink.NLMSGERR_ATTR_MISS_TYPE)
                ? ack.require(Netlink.NLMSGERR_ATTR_MISS_TYPE, "missing type").u32() : null;
        Integer missingNest = ack.has(Netlink.NLMSGERR_ATTR_MISS_NEST)
                ? ack.require(Netlink.NLMSGERR_ATTR_MISS_NEST, "missing nest").u32() : null;
        return new ErrorReply(error, message, offset, missingType, missingNest);
    }
}
