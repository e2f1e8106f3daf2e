package dev.neper.fleet.runner.netlink;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * One netlink attribute: its type (flags stripped), whether it was flagged nested, and its payload
 * (unpadded). The typed getters check the payload is long enough and throw otherwise, so a reply
 * that lies about its attributes is an error, never an out-of-bounds read.
 */
public record Attribute(int type, boolean nested, MemorySegment payload) {
    public int length() {
        return (int) payload.byteSize();
    }

    public int u8() throws NetlinkParseException {
        require(1);
        return Byte.toUnsignedInt(payload.get(ValueLayout.JAVA_BYTE, 0));
    }

    public int u16() throws NetlinkParseException {
        require(2);
        return Short.toUnsignedInt(payload.get(ValueLayout.JAVA_SHORT_UNALIGNED, 0));
    }

    /** A u32 as a Java int (bit pattern kept). */
    public int u32() throws NetlinkParseException {
        require(4);
        return payload.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
    }

    public long u64() throws NetlinkParseException {
        require(8);
        return payload.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
    }

    /** An unsigned integer of 1, 2, 4 or 8 bytes, as the kernel's "uint" attributes may be any of these. */
    public long unsigned() throws NetlinkParseException {
        return switch (length()) {
            case 1 -> u8();
            case 2 -> u16();
            case 4 -> Integer.toUnsignedLong(u32());
            case 8 -> u64();
            default -> throw new NetlinkParseException("attribute " + type + " has " + length()
                    + " bytes, not an unsigned integer");
        };
    }

    /** A NUL-terminated (or unterminated) string. */
    public String string() {
        byte[] bytes = payload.toArray(ValueLayout.JAVA_BYTE);
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** The attributes nested in this one. */
    public Attributes nestedAttributes() throws NetlinkParseException {
        return Attributes.parse(payload);
    }

    private void require(int bytes) throws NetlinkParseException {
        if (payload.byteSize() < bytes) {
            throw new NetlinkParseException("attribute " + type + " has " + payload.byteSize() + " bytes, needs " + bytes);
        }
    }
}
