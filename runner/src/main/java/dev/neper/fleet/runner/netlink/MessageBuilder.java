package dev.neper.fleet.runner.netlink;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds one netlink request: the nlmsghdr, an optional genlmsghdr, then attributes and nests.
 * Every attribute is labelled, so when the kernel's extended ack points at an offset the exception
 * can name the attribute it means.
 */
public final class MessageBuilder {
    private static final int CAPACITY = 64 * 1024;

    private final MemorySegment buffer;
    private final Map<Integer, String> labels = new TreeMap<>();
    private int length;

    /** Starts a message: nlmsghdr with the given type (a family id for generic netlink) and flags. */
    public MessageBuilder(int type, int flags) {
        this.buffer = Arena.ofAuto().allocate(CAPACITY, 8);
        buffer.set(ValueLayout.JAVA_SHORT_UNALIGNED, 4, (short) type);
        buffer.set(ValueLayout.JAVA_SHORT_UNALIGNED, 6, (short) flags);
        length = Netlink.NLMSG_HDRLEN;
    }

    /** A generic netlink request: nlmsghdr then genlmsghdr {cmd, version, reserved 0}. */
    public static MessageBuilder genl(int familyId, int flags, int command, int version) {
        MessageBuilder b = new MessageBuilder(familyId, flags);
        b.reserve(Netlink.GENL_HDRLEN);
        b.buffer.set(ValueLayout.JAVA_BYTE, Netlink.NLMSG_HDRLEN, (byte) command);
        b.buffer.set(ValueLayout.JAVA_BYTE, Netlink.NLMSG_HDRLEN + 1, (byte) version);
        b.length += Netlink.GENL_HDRLEN;
        return b;
    }

    /**
     * A request whose nlmsghdr is followed by a fixed family header of {@code headerLength} zero bytes,
     * as rtnetlink's ifinfomsg (16 B) and ifaddrmsg (8 B): all zero asks a dump for every family and device.
     */
    public static MessageBuilder withHeader(int type, int flags, int headerLength) {
        MessageBuilder b = new MessageBuilder(type, flags);
        b.reserve(Netlink.align(headerLength));
        b.buffer.asSlice(b.length, Netlink.align(headerLength)).fill((byte) 0);
        b.length += Netlink.align(headerLength);
        return b;
    }

    public MessageBuilder flags(int flags) {
        buffer.set(ValueLayout.JAVA_SHORT_UNALIGNED, 6, (short) flags);
        return this;
    }

    public int flags() {
        return Short.toUnsignedInt(buffer.get(ValueLayout.JAVA_SHORT_UNALIGNED, 6));
    }

    private int header(int type, int payloadLength, String label) {
        reserve(Netlink.align(Netlink.NLA_HDRLEN + payloadLength));
        int at = length;
        buffer.set(ValueLayout.JAVA_SHORT_UNALIGNED, at, (short) (Netlink.NLA_HDRLEN + payloadLength));
        buffer.set(ValueLayout.JAVA_SHORT_UNALIGNED, at + 2, (short) type);
        labels.put(at, label);
        return at + Netlink.NLA_HDRLEN;
    }

    private void finishAttribute(int payloadAt, int payloadLength) {
        int end = payloadAt + payloadLength;
        int padded = Netlink.align(end);
        buffer.asSlice(end, padded - end).fill((byte) 0);
        length = padded;
    }

    public MessageBuilder u8(int type, String label, int value) {
        int at = header(type, 1, label);
        buffer.set(ValueLayout.JAVA_BYTE, at, (byte) value);
        finishAttribute(at, 1);
        return this;
    }

    public MessageBuilder u16(int type, String label, int value) {
        int at = header(type, 2, label);
        buffer.set(ValueLayout.JAVA_SHORT_UNALIGNED, at, (short) value);
        finishAttribute(at, 2);
        return this;
    }

    public MessageBuilder u32(int type, String label, int value) {
        int at = header(type, 4, label);
        buffer.set(ValueLayout.JAVA_INT_UNALIGNED, at, value);
        finishAttribute(at, 4);
        return this;
    }

    public MessageBuilder u64(int type, String label, long value) {
        int at = header(type, 8, label);
        buffer.set(ValueLayout.JAVA_LONG_UNALIGNED, at, value);
        finishAttribute(at, 8);
        return this;
    }

    /** A NUL-terminated string (NLA_NUL_STRING / NLA_STRING both accept it). */
    public MessageBuilder string(int type, String label, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        int at = header(type, bytes.length + 1, label);
        MemorySegment.copy(bytes, 0, buffer, ValueLayout.JAVA_BYTE, at, bytes.length);
        buffer.set(ValueLayout.JAVA_BYTE, at + bytes.length, (byte) 0);
        finishAttribute(at, bytes.length + 1);
        return this;
    }

    public MessageBuilder bytes(int type, String label, byte[] value) {
        int at = header(type, value.length, label);
        MemorySegment.copy(value, 0, buffer, ValueLayout.JAVA_BYTE, at, value.length);
        finishAttribute(at, value.length);
        return this;
    }

    /** An attribute with no payload (NLA_FLAG). */
    public MessageBuilder flag(int type, String label) {
        int at = header(type, 0, label);
        finishAttribute(at, 0);
        return this;
    }

    /** u32 array payload (e.g. an RSS indirection table). */
    public MessageBuilder u32Array(int type, String label, int[] values) {
        int at = header(type, values.length * 4, label);
        MemorySegment.copy(values, 0, buffer, ValueLayout.JAVA_INT_UNALIGNED, at, values.length);
        finishAttribute(at, values.length * 4);
        return this;
    }

    /** Opens a nest (NLA_F_NESTED set: the kernel rejects a nest without it); returns its handle for {@link #endNest}. */
    public int beginNest(int type, String label) {
        int payload = header(type | Netlink.NLA_F_NESTED, 0, label);
        length = payload;
        return payload - Netlink.NLA_HDRLEN;
    }

    public MessageBuilder endNest(int nest) {
        buffer.set(ValueLayout.JAVA_SHORT_UNALIGNED, nest, (short) (length - nest));
        return this;
    }

    private void reserve(int bytes) {
        if (length + bytes > CAPACITY) {
            throw new IllegalStateException("netlink request exceeds " + CAPACITY + " bytes");
        }
    }

    /** Sets the length and sequence number; returns the message bytes (a view of the builder's buffer). */
    public MemorySegment finish(int sequence) {
        buffer.set(ValueLayout.JAVA_INT_UNALIGNED, 0, length);
        buffer.set(ValueLayout.JAVA_INT_UNALIGNED, 8, sequence);
        buffer.set(ValueLayout.JAVA_INT_UNALIGNED, 12, 0);
        return buffer.asSlice(0, length);
    }

    /** The label of the attribute starting at this offset of the message, or null. */
    public String labelAt(int offset) {
        return labels.get(offset);
    }
}
