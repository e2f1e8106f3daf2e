package dev.neper.fleet.runner.netlink;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetlinkParseTest {
    private static MemorySegment segment(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex.replaceAll("\\s", ""));
        MemorySegment s = Arena.ofAuto().allocate(Math.max(1, bytes.length), 8);
        MemorySegment.copy(bytes, 0, s, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return s.asSlice(0, bytes.length);
    }

    /** A capped NLMSG_ERROR with extended ack, as the kernel answers bind-rx on veth: EOPNOTSUPP, offset 20. */
    @Test
    void errorReplyWithExtendedAck() throws Exception {
        MemorySegment datagram = segment("""
                3c000000 0200 0003 05000000 a0000000
                a1ffffff
                4c000000 1400 0500 05000000 00000000
                0d00 0100 6e6f7420 68657265 00 000000
                0800 0200 14000000
                """);
        List<NetlinkMessage> messages = NetlinkMessage.parseAll(datagram);
        assertEquals(1, messages.size());
        NetlinkMessage m = messages.getFirst();
        assertEquals(Netlink.NLMSG_ERROR, m.type());
        assertEquals(5, m.sequence());
        ErrorReply reply = ErrorReply.parseError(m.payload(), m.flags());
        assertEquals(-95, reply.error());
        assertEquals("not here", reply.message());
        assertEquals(20, reply.badAttributeOffset());
        assertNull(reply.missingType());
        NetlinkException e = new NetlinkException("netdev bind-rx", reply, "ifindex");
        assertEquals(95, e.errno());
        assertTrue(e.getMessage().contains("\"not here\""), e.getMessage());
        assertTrue(e.getMessage().contains("bad attribute ifindex at offset 20"), e.getMessage());
    }

    @Test
    void ackIsErrorZero() throws Exception {
        MemorySegment payload = segment("00000000 14000000 1400 0500 05000000 00000000");
        ErrorReply reply = ErrorReply.parseError(payload, Netlink.NLM_F_CAPPED);
        assertEquals(0, reply.error());
        assertNull(reply.message());
    }

    @Test
    void missingAttributeIsReported() throws Exception {
        MemorySegment payload = segment("""
                eaffffff 20000000 1400 0500 05000000 00000000
                0800 0500 02000000
                """);
        ErrorReply reply = ErrorReply.parseError(payload, Netlink.NLM_F_CAPPED | Netlink.NLM_F_ACK_TLVS);
        assertEquals(-22, reply.error());
        assertEquals(2, reply.missingType());
        assertTrue(new NetlinkException("x", reply, null).getMessage().contains("missing attribute type 2"));
    }

    @Test
    void familyReplyParses() throws Exception {
        MessageBuilder b = new MessageBuilder(0, 0);
        b.string(Netlink.CTRL_ATTR_FAMILY_NAME, "", "netdev").u16(Netlink.CTRL_ATTR_FAMILY_ID, "", 20)
                .u32(Netlink.CTRL_ATTR_VERSION, "", 1);
        int ops = b.beginNest(Netlink.CTRL_ATTR_OPS, "");
        int op = b.beginNest(1, "");
        b.u32(Netlink.CTRL_ATTR_OP_ID, "", 13).u32(Netlink.CTRL_ATTR_OP_FLAGS, "", 0x0b);
        b.endNest(op);
        b.endNest(ops);
        MemorySegment message = b.finish(0);
        GenlFamily family = GenericNetlink.parseFamily(Attributes.parse(message.asSlice(Netlink.NLMSG_HDRLEN)));
        assertEquals(new GenlFamily("netdev", 20, 1, Map.of(13, 0x0b)), family);
        assertTrue(family.supports(13));
        assertFalse(family.supports(15));
    }

    @Test
    void lengthsBeyondTheDataAreRefused() {
        assertThrows(NetlinkParseException.class, () -> NetlinkMessage.parseAll(segment("40000000 0200 0000 00000000 00000000")));
        assertThrows(NetlinkParseException.class, () -> Attributes.parse(segment("0900 0100 00000000")));
        assertThrows(NetlinkParseException.class, () -> Attributes.parse(segment("0200 0100")));
        assertThrows(NetlinkParseException.class, () -> Attributes.parse(segment("0500 0100 01")).first(1).orElseThrow().u32());
    }

    /** Random and mutated input never escapes as anything but a parse error: no out-of-bounds, no loop. */
    @Test
    void fuzzedNetlinkInputOnlyFailsCleanly() {
        Random random = new Random(4);
        MemorySegment valid = segment("""
                3c000000 0200 0003 05000000 a0000000
                a1ffffff
                4c000000 1400 0500 05000000 00000000
                0d00 0100 6e6f7420 68657265 00 000000
                0800 0200 14000000
                """);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes;
            if (round % 2 == 0) {
                bytes = valid.toArray(ValueLayout.JAVA_BYTE);
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
            } else {
                bytes = new byte[random.nextInt(80)];
                random.nextBytes(bytes);
            }
            MemorySegment s = Arena.ofAuto().allocate(Math.max(1, bytes.length));
            MemorySegment.copy(bytes, 0, s, ValueLayout.JAVA_BYTE, 0, bytes.length);
            MemorySegment data = s.asSlice(0, bytes.length);
            try {
                for (NetlinkMessage m : NetlinkMessage.parseAll(data)) {
                    ErrorReply.parseError(m.payload(), m.flags());
                    ErrorReply.parseDone(m.payload(), m.flags());
                    for (Attribute a : m.genlAttributes().all()) {
                        a.string();
                        a.nestedAttributes();
                    }
                }
            } catch (NetlinkParseException expected) {
                // the only acceptable failure
            }
            try {
                for (Attribute a : Attributes.parse(data).all()) {
                    if (a.length() == 4) {
                        a.u32();
                    }
                    a.nestedAttributes();
                }
            } catch (NetlinkParseException expected) {
                // the only acceptable failure
            }
        }
    }
}
