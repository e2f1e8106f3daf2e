package dev.neper.fleet.runner.ethtool;

import dev.neper.fleet.runner.netlink.Attribute;
import dev.neper.fleet.runner.netlink.Attributes;
import dev.neper.fleet.runner.netlink.MessageBuilder;
import dev.neper.fleet.runner.netlink.NetlinkParseException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ethtool's verbose bitset: NOMASK 1 (flag), SIZE 2, BITS 3 holding one BIT 1 nest per bit with
 * INDEX 1, NAME 2 and VALUE 3 (a flag: present = set). With NOMASK every listed bit is set and
 * unlisted bits are clear; without it the listed bits are the mask and VALUE gives each one's value.
 */
public final class Bitset {
    static final int NOMASK = 1;
    static final int SIZE = 2;
    static final int BITS = 3;
    static final int BITS_BIT = 1;
    static final int BIT_INDEX = 1;
    static final int BIT_NAME = 2;
    static final int BIT_VALUE = 3;

    private Bitset() {
    }

    /** The listed bits by name, each with its value. */
    public static Map<String, Boolean> parse(Attributes bitset) throws NetlinkParseException {
        boolean noMask = bitset.has(NOMASK);
        Map<String, Boolean> bits = new LinkedHashMap<>();
        if (!bitset.has(BITS)) {
            return bits;
        }
        for (Attribute bit : bitset.nested(BITS, "bitset bits").all(BITS_BIT)) {
            Attributes fields = bit.nestedAttributes();
            String name = fields.first(BIT_NAME).map(Attribute::string)
                    .orElse("bit" + (fields.has(BIT_INDEX) ? fields.require(BIT_INDEX, "bit index").u32() : -1));
            bits.put(name, noMask || fields.has(BIT_VALUE));
        }
        return bits;
    }

    /** A bitset that changes only the named bits (no NOMASK): each listed by name, VALUE present when set. */
    public static void write(MessageBuilder message, int type, String label, Map<String, Boolean> bits) {
        int nest = message.beginNest(type, label);
        int list = message.beginNest(BITS, label + ".bits");
        for (Map.Entry<String, Boolean> bit : bits.entrySet()) {
            int entry = message.beginNest(BITS_BIT, label + ".bit");
            message.string(BIT_NAME, label + ".bit.name", bit.getKey());
            if (bit.getValue()) {
                message.flag(BIT_VALUE, label + ".bit.value");
            }
            message.endNest(entry);
        }
        message.endNest(list);
        message.endNest(nest);
    }
}
