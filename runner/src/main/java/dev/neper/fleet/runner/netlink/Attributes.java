package dev.neper.fleet.runner.netlink;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A parsed run of netlink attributes (TLVs), in order; repeated types are kept. */
public final class Attributes {
    private final List<Attribute> list;

    private Attributes(List<Attribute> list) {
        this.list = list;
    }

    /**
     * Parses TLVs: each header's length covers the header and the unpadded payload, the next attribute
     * starts at the 4-byte-aligned end. Trailing padding shorter than a header is ignored, as the
     * kernel's nla_for_each_attr does.
     */
    public static Attributes parse(MemorySegment segment) throws NetlinkParseException {
        List<Attribute> list = new ArrayList<>();
        long size = segment.byteSize();
        long offset = 0;
        while (size - offset >= Netlink.NLA_HDRLEN) {
            int length = Short.toUnsignedInt(segment.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset));
            int rawType = Short.toUnsignedInt(segment.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset + 2));
            if (length < Netlink.NLA_HDRLEN || length > size - offset) {
                throw new NetlinkParseException("attribute at offset " + offset + " has length " + length + " with "
                        + (size - offset) + " bytes left");
            }
            list.add(new Attribute(rawType & Netlink.NLA_TYPE_MASK, (rawType & Netlink.NLA_F_NESTED) != 0,
                    segment.asSlice(offset + Netlink.NLA_HDRLEN, length - Netlink.NLA_HDRLEN)));
            offset += Netlink.align(length);
        }
        return new Attributes(List.copyOf(list));
    }

    public List<Attribute> all() {
        return list;
    }

    public Optional<Attribute> first(int type) {
        return list.stream().filter(a -> a.type() == type).findFirst();
    }

    public List<Attribute> all(int type) {
        return list.stream().filter(a -> a.type() == type).toList();
    }

    public boolean has(int type) {
        return first(type).isPresent();
    }

    /** The attribute, or a parse error naming what is missing from which reply. */
    public Attribute require(int type, String what) throws NetlinkParseException {
        Optional<Attribute> a = first(type);
        if (a.isEmpty()) {
            throw new NetlinkParseException("reply has no " + what + " (attribute " + type + ")");
        }
        return a.get();
    }

    public Attributes nested(int type, String what) throws NetlinkParseException {
        return require(type, what).nestedAttributes();
    }

    public List<Attributes> nestedEach(int type) throws NetlinkParseException {
        List<Attributes> nested = new ArrayList<>();
        for (Attribute a : all(type)) {
            nested.add(a.nestedAttributes());
        }
        return nested;
    }

    public int size() {
        return list.size();
    }
}
