package dev.neper.fleet.runner.netlink;

import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Golden bytes of netlink requests, laid out by hand from devmem-api.md §1.1 (little-endian x86-64). */
class MessageBuilderTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }

    @Test
    void getFamilyRequestForNetdev() {
        byte[] bytes = MessageBuilder.genl(Netlink.GENL_ID_CTRL, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK,
                Netlink.CTRL_CMD_GETFAMILY, 1).string(Netlink.CTRL_ATTR_FAMILY_NAME, "name", "netdev")
                .finish(7).toArray(ValueLayout.JAVA_BYTE);
        assertArrayEquals(hex("""
                20000000 1000 0500 07000000 00000000
                03 01 0000
                0b00 0200 6e657464657600 00
                """), bytes);
    }

    @Test
    void bindRxRequestWithNestedQueues() {
        GenlFamily netdev = new GenlFamily("netdev", 20, 1, java.util.Map.of());
        byte[] bytes = dev.neper.fleet.runner.netdev.Netdev.bindRxRequest(netdev, 3, 9, java.util.List.of(8, 9))
                .flags(Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK).finish(1).toArray(ValueLayout.JAVA_BYTE);
        assertArrayEquals(hex("""
                4c000000 1400 0500 01000000 00000000
                0d 01 0000
                0800 0100 03000000
                0800 0300 09000000
                1400 0280 0800 0100 08000000 0800 0300 00000000
                1400 0280 0800 0100 09000000 0800 0300 00000000
                """), bytes);
    }

    @Test
    void attributesArePaddedToFourBytesButLengthsAreNot() {
        MessageBuilder m = new MessageBuilder(21, 0).u8(11, "u8", 2).u16(2, "u16", 0x1234).u64(3, "u64", 1L << 40)
                .flag(4, "flag");
        byte[] bytes = m.finish(0).toArray(ValueLayout.JAVA_BYTE);
        assertArrayEquals(hex("""
                30000000 1500 0000 00000000 00000000
                0500 0b00 02 000000
                0600 0200 3412 0000
                0c00 0300 0000000000010000
                0400 0400
                """), bytes);
        assertEquals("u16", m.labelAt(24));
    }

    @Test
    void ethtoolRequestsStartWithTheHeaderNest() {
        GenlFamily ethtool = new GenlFamily("ethtool", 21, 1, java.util.Map.of());
        MessageBuilder m = GenericNetlink.command(ethtool, 16);
        int header = m.beginNest(1, "header");
        m.string(2, "header.dev-name", "eth1");
        m.endNest(header);
        m.u8(11, "tcp-data-split", 2);
        assertArrayEquals(hex("""
                2c000000 1500 0000 01000000 00000000
                10 01 0000
                1000 0180 0900 0200 65746831 00 000000
                0500 0b00 02 000000
                """), m.finish(1).toArray(ValueLayout.JAVA_BYTE));
        assertEquals("header", m.labelAt(20));
        assertEquals("header.dev-name", m.labelAt(24));
    }
}
