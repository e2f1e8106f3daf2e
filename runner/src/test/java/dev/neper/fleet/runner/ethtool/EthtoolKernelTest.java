package dev.neper.fleet.runner.ethtool;

import dev.neper.fleet.runner.netlink.Attribute;
import dev.neper.fleet.runner.netlink.Attributes;
import dev.neper.fleet.runner.netlink.Netlink;
import dev.neper.fleet.runner.netlink.NetlinkException;
import dev.neper.fleet.runner.sys.Errno;
import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.sys.SockAddr;
import dev.neper.fleet.runner.sys.Sockets;
import dev.neper.fleet.runner.sys.SysCallException;
import dev.neper.fleet.runner.testing.InNetns;
import dev.neper.fleet.runner.testing.NetnsPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ethtool netlink and SIOCETHTOOL against a veth: what it supports answers, what it does not (header
 * split, ntuple, RSS, flow rules) fails cleanly with the kernel's own reason.
 */
class EthtoolKernelTest {
    private static final String GRO = "rx-gro";
    private static final int ETHTOOL_GGRO = 0x2b;
    private static final int SOCK_DGRAM = 2;
    private static NetnsPair pair;

    @BeforeAll
    static void namespaces() {
        pair = NetnsPair.create("ethtool", 32);
    }

    @AfterAll
    static void cleanUp() {
        pair.close();
    }

    @Test
    void supportedQueriesAnswer() throws Exception {
        InNetns.run(pair.namespaceA(), () -> {
            try (EthtoolNetlink ethtool = EthtoolNetlink.open(); EthtoolIoctl ioctl = EthtoolIoctl.open()) {
                assertEquals("veth", ioctl.driverInfo("eth1").driver());
                Channels channels = ethtool.channels("eth1");
                assertEquals(1L, channels.rxCount());
                assertEquals(1L, channels.rxQueues());
                EthtoolNetlink.Features features = ethtool.features("eth1");
                assertTrue(features.isChangeable(GRO), "veth lets GRO be changed: " + features.changeable());
                assertFalse(features.isChangeable(EthtoolNetlink.NTUPLE_FEATURE));
                assertFalse(features.isActive(EthtoolNetlink.NTUPLE_FEATURE));
            }
        });
    }

    /**
     * Features set through netlink are the device's features as the kernel's other path sees them:
     * the legacy ETHTOOL_GGRO ioctl, which reads dev->features without any netlink code.
     */
    @Test
    void groSetThroughNetlinkIsWhatTheIoctlReports() throws Exception {
        InNetns.run(pair.namespaceA(), () -> {
            try (EthtoolNetlink ethtool = EthtoolNetlink.open()) {
                for (boolean on : new boolean[] {true, false}) {
                    ethtool.setFeature("eth1", GRO, on);
                    assertEquals(on, ethtool.features("eth1").isActive(GRO));
                    assertEquals(on, groByIoctl("eth1"), "ETHTOOL_GGRO after turning GRO " + (on ? "on" : "off"));
                }
            }
        });
    }

    /** SIOCETHTOOL ETHTOOL_GGRO (0x2b, uapi ethtool.h) with struct ethtool_value {u32 cmd; u32 data}. */
    private static boolean groByIoctl(String device) throws SysCallException {
        int fd = SysCallException.check("socket(AF_INET, SOCK_DGRAM)",
                Libc.socket(SockAddr.AF_INET, SOCK_DGRAM | Sockets.SOCK_CLOEXEC, 0));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(8, 4);
            value.set(ValueLayout.JAVA_INT, 0, ETHTOOL_GGRO);
            MemorySegment ifreq = arena.allocate(EthtoolStructs.IFREQ_SIZE, 8);
            EthtoolStructs.ifreq(ifreq, device, value);
            SysCallException.check("SIOCETHTOOL GGRO " + device, Libc.ioctl(fd, EthtoolIoctl.SIOCETHTOOL, ifreq));
            return value.get(ValueLayout.JAVA_INT, 4) != 0;
        } finally {
            Libc.close(fd);
        }
    }

    @Test
    void headerSplitIsNotSupported() throws Exception {
        InNetns.run(pair.namespaceA(), () -> {
            try (EthtoolNetlink ethtool = EthtoolNetlink.open()) {
                NetlinkException get = assertThrows(NetlinkException.class, () -> ethtool.rings("eth1"));
                assertEquals(Errno.EOPNOTSUPP, get.errno());
                NetlinkException split = assertThrows(NetlinkException.class,
                        () -> ethtool.setRings("eth1", Rings.TCP_DATA_SPLIT_ENABLED, null));
                assertEquals(Errno.EOPNOTSUPP, split.errno());
                NetlinkException privflags = assertThrows(NetlinkException.class, () -> ethtool.privateFlags("eth1"));
                assertEquals(Errno.EOPNOTSUPP, privflags.errno());
                NetlinkException set = assertThrows(NetlinkException.class,
                        () -> ethtool.setPrivateFlag("eth1", "enable-header-split", true));
                assertEquals(Errno.EOPNOTSUPP, set.errno());
            }
        });
    }

    @Test
    void ntupleAndRssFailCleanly() throws Exception {
        InNetns.run(pair.namespaceA(), () -> {
            try (EthtoolNetlink ethtool = EthtoolNetlink.open()) {
                NetlinkException rss = assertThrows(NetlinkException.class, () -> ethtool.rssIndirection("eth1"));
                assertEquals(Errno.EOPNOTSUPP, rss.errno());
                NetlinkException rssSet = assertThrows(NetlinkException.class,
                        () -> ethtool.setRssIndirection("eth1", new int[] {0, 0}));
                assertEquals(Errno.EOPNOTSUPP, rssSet.errno());
                NetlinkException reset = assertThrows(NetlinkException.class,
                        () -> ethtool.setRssIndirection("eth1", new int[0]));
                assertEquals(Errno.EOPNOTSUPP, reset.errno(), "a reset reaches the driver, which has no RSS");
                assertTrue(ethtool.setsRss(), "this 6.18 kernel sets RSS through netlink");
                try (EthtoolIoctl ioctl = EthtoolIoctl.open()) {
                    SysCallException get = assertThrows(SysCallException.class, () -> ioctl.rssIndirection("eth1"));
                    assertEquals(Errno.EOPNOTSUPP, get.errno());
                    assertTrue(get.getMessage().startsWith("SIOCETHTOOL GRXFHINDIR"), get.getMessage());
                    SysCallException set = assertThrows(SysCallException.class,
                            () -> ioctl.setRssIndirection("eth1", new int[] {0, 0}));
                    assertEquals(Errno.EOPNOTSUPP, set.errno());
                    SysCallException rings = assertThrows(SysCallException.class, () -> ioctl.rxRings("eth1"));
                    assertEquals(Errno.EOPNOTSUPP, rings.errno());
                    assertTrue(rings.getMessage().startsWith("SIOCETHTOOL GRXRINGS"), rings.getMessage());
                }
                Exception ntuple = assertThrows(Exception.class,
                        () -> ethtool.setFeature("eth1", EthtoolNetlink.NTUPLE_FEATURE, true));
                assertTrue(ntuple.getMessage().contains(EthtoolNetlink.NTUPLE_FEATURE), ntuple.getMessage());
                assertFalse(ethtool.features("eth1").isActive(EthtoolNetlink.NTUPLE_FEATURE), "nothing changed");
            }
        });
    }

    /** A reset to the default spread is a zero-length RSS_INDIR over netlink and an SRXFHINDIR of size 0 by ioctl. */
    @Test
    void anRssResetIsAZeroSizedTable() throws Exception {
        try (EthtoolNetlink ethtool = EthtoolNetlink.open()) {
            MemorySegment message = ethtool.rssSetRequest("eth1", new int[0]).finish(1);
            Attributes attributes = Attributes.parse(message.asSlice(Netlink.NLMSG_HDRLEN + Netlink.GENL_HDRLEN));
            assertEquals(List.of(EthtoolNetlink.HEADER, EthtoolNetlink.RSS_INDIR),
                    attributes.all().stream().map(Attribute::type).toList());
            assertEquals(0, attributes.require(EthtoolNetlink.RSS_INDIR, "indir").length());
            assertEquals(8, ethtool.rssSetRequest("eth1", new int[] {0, 1}).finish(1).byteSize() - message.byteSize());
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment indir = arena.allocate(16, 8);
            indir.fill((byte) 0x5a);
            EthtoolStructs.rxfhIndirection(indir, EthtoolStructs.ETHTOOL_SRXFHINDIR, new int[0]);
            assertEquals(EthtoolStructs.ETHTOOL_SRXFHINDIR, indir.get(ValueLayout.JAVA_INT, 0));
            assertEquals(0, indir.get(ValueLayout.JAVA_INT, 4), "size 0");
        }
    }

    @Test
    void flowRuleInsertFailsWithEopnotsupp() throws Exception {
        InNetns.run(pair.namespaceA(), () -> {
            try (EthtoolIoctl ioctl = EthtoolIoctl.open()) {
                FlowRule rule = new FlowRule(InetAddress.getByName(pair.addressB()), InetAddress.getByName(pair.addressA()),
                        -1, 12867, 1);
                SysCallException count = assertThrows(SysCallException.class, () -> ioctl.ruleTable("eth1"));
                assertEquals(Errno.EOPNOTSUPP, count.errno());
                assertTrue(count.getMessage().startsWith("SIOCETHTOOL GRXCLSRLCNT"), count.getMessage());
                SysCallException e = assertThrows(SysCallException.class,
                        () -> ioctl.insertRule("eth1", rule, EthtoolStructs.RX_CLS_LOC_ANY));
                assertEquals(Errno.EOPNOTSUPP, e.errno());
                assertTrue(e.getMessage().startsWith("SIOCETHTOOL SRXCLSRLINS"), e.getMessage());
                SysCallException delete = assertThrows(SysCallException.class, () -> ioctl.deleteRule("eth1", 0));
                assertEquals(Errno.EOPNOTSUPP, delete.errno());
            }
        });
    }

    @Test
    void unknownInterfaceIsNamed() throws Exception {
        InNetns.run(pair.namespaceA(), () -> {
            try (EthtoolNetlink ethtool = EthtoolNetlink.open()) {
                NetlinkException e = assertThrows(NetlinkException.class, () -> ethtool.channels("eth9"));
                assertEquals(Errno.ENODEV, e.errno());
                assertEquals("header.dev-name", e.badAttribute());
            }
        });
    }
}
