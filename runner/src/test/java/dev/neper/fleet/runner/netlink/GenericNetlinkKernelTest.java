package dev.neper.fleet.runner.netlink;

import dev.neper.fleet.runner.sys.Errno;
import dev.neper.fleet.runner.sys.SysCallException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against the running kernel (6.18): the families devmem needs resolve, with the ops the reference lists. */
class GenericNetlinkKernelTest {
    @Test
    void netdevAndEthtoolResolve() throws Exception {
        try (GenericNetlink netlink = GenericNetlink.open()) {
            GenlFamily netdev = netlink.family("netdev");
            assertEquals("netdev", netdev.name());
            assertEquals(1, netdev.version());
            assertTrue(netdev.id() >= 0x10, "dynamic id " + netdev.id());
            for (int op : new int[] {1, 10, 13, 15}) {
                assertTrue(netdev.supports(op), "netdev op " + op + " in " + netdev.operations());
            }
            assertEquals(0x0b, netdev.operations().get(13) & 0x0f, "bind-rx is ADMIN_PERM | DO | HASPOL");
            GenlFamily ethtool = netlink.family("ethtool");
            assertEquals(1, ethtool.version());
            assertTrue(ethtool.supports(16) && ethtool.supports(48), "rings-set and rss-set");
            assertTrue(ethtool.id() != netdev.id());
        }
    }

    @Test
    void unknownFamilyIsNamed() throws Exception {
        try (GenericNetlink netlink = GenericNetlink.open()) {
            SysCallException e = assertThrows(SysCallException.class, () -> netlink.family("no-such-family"));
            assertEquals(Errno.ENOENT, e.errno());
            assertTrue(e.getMessage().contains("this kernel has no generic netlink family 'no-such-family'"),
                    e.getMessage());
        }
    }
}
