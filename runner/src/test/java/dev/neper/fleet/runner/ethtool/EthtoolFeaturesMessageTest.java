package dev.neper.fleet.runner.ethtool;

import dev.neper.fleet.runner.netlink.Attributes;
import dev.neper.fleet.runner.netlink.GenlFamily;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ETHTOOL_MSG_FEATURES_GET / FEATURES_SET against byte layouts laid out by hand from the kernel uapi
 * (include/uapi/linux/ethtool_netlink_generated.h: FEATURES_GET 11, FEATURES_SET 12; FEATURES_HEADER 1,
 * HW 2, WANTED 3, ACTIVE 4; HEADER_DEV_NAME 2; BITSET NOMASK 1, SIZE 2, BITS 3; BITS_BIT 1; BIT INDEX 1,
 * NAME 2, VALUE 3) and the bitset encoding of net/ethtool/bitset.c: a verbose bitset without NOMASK
 * changes only the bits it lists, each set when it carries VALUE; with NOMASK it lists the set bits.
 * Little-endian; nests carry NLA_F_NESTED (0x8000); attributes are padded to 4 bytes.
 */
class EthtoolFeaturesMessageTest {
    private static final GenlFamily ETHTOOL = new GenlFamily("ethtool", 21, 1, Map.of());

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }

    private static Attributes attributes(String hex) throws Exception {
        return Attributes.parse(MemorySegment.ofArray(hex(hex)));
    }

    @Test
    void getRequestIsTheHeaderNamingTheDevice() {
        byte[] bytes = EthtoolNetlink.request(ETHTOOL, EthtoolNetlink.FEATURES_GET, "eth1").finish(1)
                .toArray(ValueLayout.JAVA_BYTE);
        assertArrayEquals(hex("""
                24000000 1500 0000 01000000 00000000
                0b 01 0000
                1000 0180 0900 0200 65746831 00 000000
                """), bytes);
    }

    private static byte[] setGro(boolean on) {
        return EthtoolNetlink.featureSetRequest(ETHTOOL, "eth1", "rx-gro", on).finish(1).toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void setRequestTurningGroOnListsOnlyThatBitByNameWithValue() {
        assertArrayEquals(hex("""
                40000000 1500 0000 01000000 00000000
                0c 01 0000
                1000 0180 0900 0200 65746831 00 000000
                1c00 0380
                  1800 0380
                    1400 0180
                      0b00 0200 72782d67726f00 00
                      0400 0300
                """), setGro(true));
    }

    @Test
    void setRequestTurningGroOffListsTheBitWithoutValue() {
        assertArrayEquals(hex("""
                3c000000 1500 0000 01000000 00000000
                0c 01 0000
                1000 0180 0900 0200 65746831 00 000000
                1800 0380
                  1400 0380
                    1000 0180
                      0b00 0200 72782d67726f00 00
                """), setGro(false));
    }

    /**
     * A FEATURES_GET reply's attributes as features_fill_reply writes them without compact bitsets,
     * cut to two features (bit indexes made up): hw over every bit with VALUE on the changeable
     * ones, then wanted and active as NOMASK lists. Wanted names ntuple so a parser reading the
     * wrong bitset would see it active.
     */
    @Test
    void getReplyGivesChangeableAndActiveFeaturesByName() throws Exception {
        Attributes reply = attributes("""
                1800 0180 0800 0100 02000000 0900 0200 65746831 00 000000
                5000 0280 0800 0200 40000000
                  4400 0380
                    1c00 0180 0800 0100 0e000000 0b00 0200 72782d67726f00 00 0400 0300
                    2400 0180 0800 0100 24000000 1500 0200 72782d6e7475706c652d66696c74657200 000000
                3800 0380 0400 0100 0800 0200 40000000
                  2800 0380
                    2400 0180 0800 0100 24000000 1500 0200 72782d6e7475706c652d66696c74657200 000000
                2c00 0480 0400 0100 0800 0200 40000000
                  1c00 0380
                    1800 0180 0800 0100 0e000000 0b00 0200 72782d67726f00 00
                """);
        EthtoolNetlink.Features features = EthtoolNetlink.parseFeatures(reply);
        assertEquals(Map.of("rx-gro", true, EthtoolNetlink.NTUPLE_FEATURE, false), features.changeable());
        assertEquals(Map.of("rx-gro", true), features.active());
        assertTrue(features.isChangeable("rx-gro"));
        assertFalse(features.isChangeable(EthtoolNetlink.NTUPLE_FEATURE));
        assertTrue(features.isActive("rx-gro"));
        assertFalse(features.isActive(EthtoolNetlink.NTUPLE_FEATURE));
    }

    /**
     * A FEATURES_SET reply after asking for ntuple on a device that cannot: WANTED is value/mask
     * over the requested bits that did not become active (ntuple, with VALUE as it was asked on),
     * ACTIVE the bits that changed (none).
     */
    @Test
    void setReplyNamesTheFeaturesTheKernelDidNotChange() throws Exception {
        Attributes reply = attributes("""
                3800 0380 0800 0200 40000000
                  2c00 0380
                    2800 0180 0800 0100 24000000 1500 0200 72782d6e7475706c652d66696c74657200 000000 0400 0300
                1000 0480 0800 0200 40000000 0400 0380
                """);
        assertTrue(EthtoolNetlink.refused(reply, EthtoolNetlink.NTUPLE_FEATURE));
        assertFalse(EthtoolNetlink.refused(reply, "rx-gro"));
        assertFalse(EthtoolNetlink.refused(attributes("1000 0480 0800 0200 40000000 0400 0380"), "rx-gro"),
                "a reply without WANTED refused nothing");
    }
}
