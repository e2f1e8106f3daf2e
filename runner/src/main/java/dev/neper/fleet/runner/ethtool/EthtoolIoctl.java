package dev.neper.fleet.runner.ethtool;

import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.sys.SockAddr;
import dev.neper.fleet.runner.sys.Sockets;
import dev.neper.fleet.runner.sys.SysCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The SIOCETHTOOL ioctl, for what ethtool's netlink interface does not have: ntuple flow rules
 * (insert, delete, list) and driver info. Works on a datagram socket in the calling thread's
 * network namespace.
 */
public final class EthtoolIoctl implements AutoCloseable {
    public static final long SIOCETHTOOL = 0x8946;
    private static final int SOCK_DGRAM = 2;

    private final int fd;

    private EthtoolIoctl(int fd) {
        this.fd = fd;
    }

    public static EthtoolIoctl open() throws SysCallException {
        return new EthtoolIoctl(SysCallException.check("socket(AF_INET, SOCK_DGRAM)",
                Libc.socket(SockAddr.AF_INET, SOCK_DGRAM | Sockets.SOCK_CLOEXEC, 0)));
    }

    /** The rule table of a NIC: how many rules are in it, its size, and whether the driver picks locations. */
    public record RuleTable(int ruleCount, int tableSize, boolean driverPicksLocation) {
    }

    private int call(String interfaceName, String command, MemorySegment data) throws SysCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifreq = arena.allocate(EthtoolStructs.IFREQ_SIZE, 8);
            EthtoolStructs.ifreq(ifreq, interfaceName, data);
            int r = Libc.ioctl(fd, SIOCETHTOOL, ifreq);
            if (r < 0) {
                throw new SysCallException("SIOCETHTOOL " + command, -r, interfaceName);
            }
            return r;
        }
    }

    public DriverInfo driverInfo(String interfaceName) throws SysCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(EthtoolStructs.DRVINFO_SIZE, 8);
            info.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, EthtoolStructs.ETHTOOL_GDRVINFO);
            call(interfaceName, "GDRVINFO", info);
            return EthtoolStructs.driverInfo(info);
        }
    }

    /**
     * The RSS indirection table through ETHTOOL_GRXFHINDIR: first with size 0 (the kernel answers the
     * table's size), then with that size. For kernels whose ethtool netlink has no RSS_SET.
     */
    public int[] rssIndirection(String interfaceName) throws SysCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment probe = arena.allocate(8, 8);
            EthtoolStructs.rxfhIndirection(probe, EthtoolStructs.ETHTOOL_GRXFHINDIR, new int[0]);
            call(interfaceName, "GRXFHINDIR", probe);
            int size = probe.get(java.lang.foreign.ValueLayout.JAVA_INT, 4);
            MemorySegment table = arena.allocate(8 + 4L * size, 8);
            EthtoolStructs.rxfhIndirection(table, EthtoolStructs.ETHTOOL_GRXFHINDIR, new int[size]);
            call(interfaceName, "GRXFHINDIR", table);
            return table.asSlice(8, 4L * size).toArray(java.lang.foreign.ValueLayout.JAVA_INT);
        }
    }

    /**
     * ETHTOOL_SRXFHINDIR: the whole table (its size must be the device's), or an empty table to reset it
     * to the default spread (size 0), which also marks it as not user-configured again.
     */
    public void setRssIndirection(String interfaceName, int[] table) throws SysCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(8 + 4L * table.length, 8);
            EthtoolStructs.rxfhIndirection(s, EthtoolStructs.ETHTOOL_SRXFHINDIR, table);
            call(interfaceName, "SRXFHINDIR", s);
        }
    }

    /** ETHTOOL_GRXRINGS: the RX rings RSS spreads over, whose count the default table is built from (entry i = i mod n). */
    public int rxRings(String interfaceName) throws SysCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rxnfc = arena.allocate(EthtoolStructs.RXNFC_SIZE, 8);
            EthtoolStructs.rxnfc(rxnfc, EthtoolStructs.ETHTOOL_GRXRINGS, 0);
            call(interfaceName, "GRXRINGS", rxnfc);
            return (int) EthtoolStructs.data(rxnfc);
        }
    }

    public RuleTable ruleTable(String interfaceName) throws SysCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rxnfc = arena.allocate(EthtoolStructs.RXNFC_SIZE, 8);
            EthtoolStructs.rxnfc(rxnfc, EthtoolStructs.ETHTOOL_GRXCLSRLCNT, 0);
            call(interfaceName, "GRXCLSRLCNT", rxnfc);
            long data = EthtoolStructs.data(rxnfc);
            return new RuleTable(EthtoolStructs.ruleCount(rxnfc), (int) (data & ~EthtoolStructs.RX_CLS_LOC_SPECIAL & 0xffffffffL),
                    (data & EthtoolStructs.RX_CLS_LOC_SPECIAL & 0xffffffffL) != 0);
        }
    }

    /** GRXCLSRLALL: the locations of the rules present. */
    public List<Integer> ruleLocations(String interfaceName, int count) throws SysCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rxnfc = arena.allocate(EthtoolStructs.RXNFC_SIZE + 4L * count, 8);
            EthtoolStructs.rxnfc(rxnfc, EthtoolStructs.ETHTOOL_GRXCLSRLALL, count);
            call(interfaceName, "GRXCLSRLALL", rxnfc);
            List<Integer> locations = new ArrayList<>();
            for (int i = 0; i < Math.min(count, EthtoolStructs.ruleCount(rxnfc)); i++) {
                locations.add(EthtoolStructs.ruleLocation(rxnfc, i));
            }
            return locations;
        }
    }

    /**
     * Inserts a rule at {@code location} (RX_CLS_LOC_ANY lets a driver that supports it choose) and
     * returns where the kernel put it.
     */
    public int insertRule(String interfaceName, FlowRule rule, int location) throws SysCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rxnfc = arena.allocate(EthtoolStructs.RXNFC_SIZE, 8);
            EthtoolStructs.insertRule(rxnfc, rule, location);
            call(interfaceName, "SRXCLSRLINS (" + rule + ")", rxnfc);
            return EthtoolStructs.location(rxnfc);
        }
    }

    public void deleteRule(String interfaceName, int location) throws SysCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rxnfc = arena.allocate(EthtoolStructs.RXNFC_SIZE, 8);
            EthtoolStructs.deleteRule(rxnfc, location);
            call(interfaceName, "SRXCLSRLDEL location " + location, rxnfc);
        }
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
