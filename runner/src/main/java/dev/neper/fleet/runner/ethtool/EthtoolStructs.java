package dev.neper.fleet.runner.ethtool;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The SIOCETHTOOL structures in their x86-64 layouts: struct ifreq (40 B: name[16], data pointer at
 * 16), struct ethtool_rxnfc (192 B, with ethtool_rx_flow_spec at 16), struct ethtool_drvinfo (196 B).
 */
public final class EthtoolStructs {
    public static final int IFREQ_SIZE = 40;
    public static final int IFNAMSIZ = 16;
    public static final int RXNFC_SIZE = 192;
    public static final int DRVINFO_SIZE = 196;

    public static final int ETHTOOL_GDRVINFO = 0x03;
    public static final int ETHTOOL_GRXRINGS = 0x2d;
    public static final int ETHTOOL_GRXCLSRLCNT = 0x2e;
    public static final int ETHTOOL_GRXFHINDIR = 0x38;
    public static final int ETHTOOL_SRXFHINDIR = 0x39;
    public static final int ETHTOOL_GRXCLSRLALL = 0x30;
    public static final int ETHTOOL_SRXCLSRLDEL = 0x31;
    public static final int ETHTOOL_SRXCLSRLINS = 0x32;

    public static final int TCP_V4_FLOW = 0x01;
    public static final int TCP_V6_FLOW = 0x05;
    public static final int RX_CLS_LOC_ANY = 0xffffffff;
    public static final int RX_CLS_LOC_SPECIAL = 0x80000000;

    static final int FS = 16;
    static final int FS_H_U = 4;
    static final int FS_M_U = 76;
    static final int FS_RING_COOKIE = 152;
    static final int FS_LOCATION = 160;
    static final int RULE_CNT = 184;
    static final int RULE_LOCS = 188;

    private static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private EthtoolStructs() {
    }

    /** Writes an ifreq naming the interface and pointing at the command structure. */
    public static void ifreq(MemorySegment ifreq, String interfaceName, MemorySegment data) {
        byte[] name = interfaceName.getBytes(StandardCharsets.US_ASCII);
        if (name.length >= IFNAMSIZ) {
            throw new IllegalArgumentException("interface name '" + interfaceName + "' is longer than "
                    + (IFNAMSIZ - 1) + " characters");
        }
        ifreq.asSlice(0, IFREQ_SIZE).fill((byte) 0);
        MemorySegment.copy(name, 0, ifreq, ValueLayout.JAVA_BYTE, 0, name.length);
        ifreq.set(ValueLayout.ADDRESS_UNALIGNED, 16, data);
    }

    /** An ethtool_rxnfc with only cmd set (and rule_cnt for GRXCLSRLALL). */
    public static void rxnfc(MemorySegment rxnfc, int command, int ruleCount) {
        rxnfc.asSlice(0, RXNFC_SIZE).fill((byte) 0);
        rxnfc.set(ValueLayout.JAVA_INT, 0, command);
        rxnfc.set(ValueLayout.JAVA_INT, RULE_CNT, ruleCount);
    }

    /** SRXCLSRLINS for a TCP rule: header fields in network order, mask bits 1 for every field compared. */
    public static void insertRule(MemorySegment rxnfc, FlowRule rule, int location) {
        rxnfc(rxnfc, ETHTOOL_SRXCLSRLINS, 0);
        rxnfc.set(ValueLayout.JAVA_INT, 4, rule.ipv6() ? TCP_V6_FLOW : TCP_V4_FLOW);
        rxnfc.set(ValueLayout.JAVA_INT, FS, rule.ipv6() ? TCP_V6_FLOW : TCP_V4_FLOW);
        int addressSize = rule.ipv6() ? 16 : 4;
        int srcAt = 0;
        int dstAt = addressSize;
        int srcPortAt = 2 * addressSize;
        int dstPortAt = srcPortAt + 2;
        long h = FS + FS_H_U;
        long m = FS + FS_M_U;
        if (rule.sourceIp() != null) {
            MemorySegment.copy(rule.sourceIp().getAddress(), 0, rxnfc, ValueLayout.JAVA_BYTE, h + srcAt, addressSize);
            rxnfc.asSlice(m + srcAt, addressSize).fill((byte) 0xff);
        }
        MemorySegment.copy(rule.destinationIp().getAddress(), 0, rxnfc, ValueLayout.JAVA_BYTE, h + dstAt, addressSize);
        rxnfc.asSlice(m + dstAt, addressSize).fill((byte) 0xff);
        if (rule.sourcePort() >= 0) {
            rxnfc.set(PORT, h + srcPortAt, (short) rule.sourcePort());
            rxnfc.set(PORT, m + srcPortAt, (short) 0xffff);
        }
        rxnfc.set(PORT, h + dstPortAt, (short) rule.destinationPort());
        rxnfc.set(PORT, m + dstPortAt, (short) 0xffff);
        rxnfc.set(ValueLayout.JAVA_LONG, FS + FS_RING_COOKIE, rule.queue());
        rxnfc.set(ValueLayout.JAVA_INT, FS + FS_LOCATION, location);
    }

    /**
     * struct ethtool_rxfh_indir: cmd u32, size u32, then size u32 queue indexes. SRXFHINDIR with size 0
     * (an empty table) resets the table to the default spread.
     */
    public static void rxfhIndirection(MemorySegment s, int command, int[] table) {
        s.set(ValueLayout.JAVA_INT, 0, command);
        s.set(ValueLayout.JAVA_INT, 4, table.length);
        MemorySegment.copy(table, 0, s, ValueLayout.JAVA_INT, 8, table.length);
    }

    /** SRXCLSRLDEL: cmd and fs.location. */
    public static void deleteRule(MemorySegment rxnfc, int location) {
        rxnfc(rxnfc, ETHTOOL_SRXCLSRLDEL, 0);
        rxnfc.set(ValueLayout.JAVA_INT, FS + FS_LOCATION, location);
    }

    public static long data(MemorySegment rxnfc) {
        return rxnfc.get(ValueLayout.JAVA_LONG, 8);
    }

    public static int location(MemorySegment rxnfc) {
        return rxnfc.get(ValueLayout.JAVA_INT, FS + FS_LOCATION);
    }

    public static int ruleCount(MemorySegment rxnfc) {
        return rxnfc.get(ValueLayout.JAVA_INT, RULE_CNT);
    }

    public static int ruleLocation(MemorySegment rxnfc, int index) {
        return rxnfc.get(ValueLayout.JAVA_INT, RULE_LOCS + 4L * index);
    }

    /** The driver's name and bus address from an ethtool_drvinfo (driver[32] at 4, bus_info[32] at 100). */
    public static DriverInfo driverInfo(MemorySegment drvinfo) {
        return new DriverInfo(cString(drvinfo, 4, 32), cString(drvinfo, 100, 32));
    }

    private static String cString(MemorySegment s, long offset, int max) {
        byte[] bytes = s.asSlice(offset, max).toArray(ValueLayout.JAVA_BYTE);
        int end = 0;
        while (end < max && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.US_ASCII);
    }
}
