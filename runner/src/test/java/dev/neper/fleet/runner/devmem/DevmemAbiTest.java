package dev.neper.fleet.runner.devmem;

import dev.neper.fleet.runner.zerocopy.SockExtendedErr;
import dev.neper.fleet.runner.sys.MsgHdr;
import dev.neper.fleet.runner.ethtool.DriverInfo;
import dev.neper.fleet.runner.ethtool.EthtoolStructs;
import dev.neper.fleet.runner.ethtool.FlowRule;
import dev.neper.fleet.runner.memory.UdmabufStructs;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Golden bytes of every devmem-path structure, written from the layouts in devmem-api.md (x86-64, little-endian). */
class DevmemAbiTest {
    private final Arena arena = Arena.ofAuto();

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }

    private static byte[] bytes(MemorySegment s, long length) {
        return s.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void cmsgSizing() {
        assertEquals(40, MsgHdr.cmsgSpace(DevmemAbi.DMABUF_CMSG_SIZE));
        assertEquals(40, MsgHdr.cmsgLen(DevmemAbi.DMABUF_CMSG_SIZE));
        assertEquals(20, MsgHdr.cmsgLen(4));
        assertEquals(24, MsgHdr.cmsgSpace(4));
        assertEquals((409600 / 4096 + 2) * 40, DevmemAbi.receiveControlSize(409600, 4096));
    }

    @Test
    void msghdrAndIovec() {
        MemorySegment iov = MemorySegment.ofAddress(0x1122334455L);
        MemorySegment control = MemorySegment.ofAddress(0x66778899L);
        MemorySegment msghdr = arena.allocate(MsgHdr.SIZE, 8);
        msghdr.fill((byte) 0x5a);
        MsgHdr.msghdr(msghdr, iov, 3, control, 4080);
        assertArrayEquals(hex("""
                0000000000000000 00000000 00000000
                5544332211000000 0300000000000000
                9988776600000000 f00f000000000000
                00000000 00000000
                """), bytes(msghdr, 56));
        MemorySegment iovec = arena.allocate(32, 8);
        MsgHdr.iovec(iovec, 1, 0x1000, 409600);
        assertArrayEquals(hex("0010000000000000 0040060000000000"), iovec.asSlice(16, 16).toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void dmabufCmsgAsTheKernelWritesIt() {
        MemorySegment control = arena.allocate(80, 8);
        long next = DevmemAbi.dmabufCmsg(control, 0, DevmemAbi.SCM_DEVMEM_DMABUF, 0x12345000L, 4096, 7, 3);
        assertEquals(40, next);
        assertArrayEquals(hex("""
                2800000000000000 01000000 4f000000
                0050341200000000 00100000 07000000 03000000 00000000
                """), bytes(control, 40));
        DevmemAbi.dmabufCmsg(control, 40, DevmemAbi.SCM_DEVMEM_LINEAR, 0, 1448, 0, 0);
        assertArrayEquals(hex("""
                2800000000000000 01000000 4e000000
                0000000000000000 a8050000 00000000 00000000 00000000
                """), control.asSlice(40, 40).toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void txCmsgIsExactlyCmsgLenOfFour() {
        MemorySegment control = arena.allocate(24, 8);
        control.fill((byte) 0x77);
        assertEquals(24, DevmemAbi.txCmsg(control, 5));
        assertArrayEquals(hex("1400000000000000 01000000 4f000000 05000000 00000000"), bytes(control, 24));
    }

    @Test
    void dmabufTokens() {
        MemorySegment tokens = arena.allocate(16, 8);
        DevmemAbi.dmabufToken(tokens, 0, 1, 3);
        DevmemAbi.dmabufToken(tokens, 1, 0x10, 1);
        assertArrayEquals(hex("01000000 03000000 10000000 01000000"), bytes(tokens, 16));
    }

    @Test
    void sockExtendedErrOfAZerocopyCompletion() {
        MemorySegment s = arena.allocate(16, 8);
        MemorySegment.copy(hex("00000000 05 00 01 00 00000000 02000000"), 0, s, ValueLayout.JAVA_BYTE, 0, 16);
        assertEquals(new SockExtendedErr(0, 5, 0, 1, 0, 2), SockExtendedErr.read(s, 0));
        MemorySegment.copy(hex("00000000 05 00 00 00 feffffff 01000000"), 0, s, ValueLayout.JAVA_BYTE, 0, 16);
        assertEquals(new SockExtendedErr(0, 5, 0, 0, 0xfffffffeL, 1), SockExtendedErr.read(s, 0));
    }

    @Test
    void ethtoolRxnfcInsertOfATcp4FiveTuple() throws Exception {
        MemorySegment rxnfc = arena.allocate(EthtoolStructs.RXNFC_SIZE, 8);
        FlowRule rule = new FlowRule(InetAddress.getByName("198.18.1.2"), InetAddress.getByName("198.18.1.1"),
                12345, 12867, 9);
        EthtoolStructs.insertRule(rxnfc, rule, EthtoolStructs.RX_CLS_LOC_ANY);
        byte[] expected = new byte[192];
        byte[] head = hex("""
                32000000 01000000 0000000000000000
                01000000
                c6120102 c6120101 3039 3243 00 000000
                """);
        System.arraycopy(head, 0, expected, 0, head.length);
        byte[] mask = hex("ffffffff ffffffff ffff ffff");
        System.arraycopy(mask, 0, expected, 16 + 76, mask.length);
        byte[] tail = hex("0900000000000000 ffffffff");
        System.arraycopy(tail, 0, expected, 16 + 152, tail.length);
        assertArrayEquals(expected, bytes(rxnfc, 192));
    }

    @Test
    void ethtoolRxnfcTcp6ThreeTupleAndDelete() throws Exception {
        MemorySegment rxnfc = arena.allocate(EthtoolStructs.RXNFC_SIZE, 8);
        EthtoolStructs.insertRule(rxnfc, new FlowRule(null, InetAddress.getByName("2001:db8::1"), -1, 80, 2), 4);
        assertEquals(EthtoolStructs.TCP_V6_FLOW, rxnfc.get(ValueLayout.JAVA_INT, 16));
        assertArrayEquals(hex("20010db8000000000000000000000001"), rxnfc.asSlice(16 + 4 + 16, 16).toArray(ValueLayout.JAVA_BYTE));
        assertArrayEquals(new byte[16], rxnfc.asSlice(16 + 76, 16).toArray(ValueLayout.JAVA_BYTE), "no source mask");
        assertArrayEquals(hex("0000 ffff"), rxnfc.asSlice(16 + 76 + 32, 4).toArray(ValueLayout.JAVA_BYTE));
        assertArrayEquals(hex("0000 0050"), rxnfc.asSlice(16 + 4 + 32, 4).toArray(ValueLayout.JAVA_BYTE));
        assertEquals(4, EthtoolStructs.location(rxnfc));
        EthtoolStructs.deleteRule(rxnfc, 4);
        assertEquals(0x31, rxnfc.get(ValueLayout.JAVA_INT, 0));
        assertEquals(4, rxnfc.get(ValueLayout.JAVA_INT, 16 + 160));
    }

    @Test
    void rxfhIndirectionTable() {
        MemorySegment s = arena.allocate(8 + 16, 8);
        EthtoolStructs.rxfhIndirection(s, EthtoolStructs.ETHTOOL_SRXFHINDIR, new int[] {0, 1, 0, 1});
        assertArrayEquals(hex("39000000 04000000 00000000 01000000 00000000 01000000"), bytes(s, 24));
    }

    @Test
    void ifreqNamesTheDeviceAndPointsAtTheCommand() {
        MemorySegment ifreq = arena.allocate(EthtoolStructs.IFREQ_SIZE, 8);
        EthtoolStructs.ifreq(ifreq, "eth1", MemorySegment.ofAddress(0xabcdef));
        assertArrayEquals(hex("65746831 000000000000000000000000 efcdab0000000000 0000000000000000 0000000000000000"),
                bytes(ifreq, 40));
    }

    @Test
    void drvinfoDriverAndBus() {
        MemorySegment info = arena.allocate(EthtoolStructs.DRVINFO_SIZE, 8);
        MemorySegment.copy("gve".getBytes(), 0, info, ValueLayout.JAVA_BYTE, 4, 3);
        MemorySegment.copy("0000:06:00.0".getBytes(), 0, info, ValueLayout.JAVA_BYTE, 100, 12);
        assertEquals(new DriverInfo("gve", "0000:06:00.0"), EthtoolStructs.driverInfo(info));
    }

    @Test
    void udmabufCreateAndSync() {
        MemorySegment create = arena.allocate(24, 8);
        UdmabufStructs.create(create, 5, UdmabufStructs.UDMABUF_FLAGS_CLOEXEC, 0, 64L << 20);
        assertArrayEquals(hex("05000000 01000000 0000000000000000 0000000400000000"), bytes(create, 24));
        MemorySegment sync = arena.allocate(8, 8);
        UdmabufStructs.sync(sync, UdmabufStructs.DMA_BUF_SYNC_END | UdmabufStructs.DMA_BUF_SYNC_READ);
        assertArrayEquals(hex("0500000000000000"), bytes(sync, 8));
        assertEquals(0x40187542L, UdmabufStructs.UDMABUF_CREATE);
        assertEquals(0x40086200L, UdmabufStructs.DMA_BUF_IOCTL_SYNC);
    }
}
