package dev.neper.fleet.runner.netdev;

import dev.neper.fleet.runner.netlink.GenericNetlink;
import dev.neper.fleet.runner.netlink.NetlinkException;
import dev.neper.fleet.runner.nic.Nic;
import dev.neper.fleet.runner.sys.Errno;
import dev.neper.fleet.runner.sys.KernelVersion;
import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.sys.MissingSupportException;
import dev.neper.fleet.runner.testing.InNetns;
import dev.neper.fleet.runner.testing.NetnsPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The netdev family against a veth in a network namespace: queries work, devmem binds are refused by the driver. */
class NetdevKernelTest {
    private static NetnsPair pair;

    @BeforeAll
    static void namespaces() {
        pair = NetnsPair.create("netdev", 31);
    }

    @AfterAll
    static void cleanUp() {
        pair.close();
    }

    private static int memfd() {
        try (Arena arena = Arena.ofConfined()) {
            return Libc.memfdCreate(arena.allocateFrom("not-a-dmabuf"), 1);
        }
    }

    @Test
    void devGetAndQueueGetOnTheVeth() throws Exception {
        InNetns.run(pair.namespaceA(), () -> {
            Nic nic = Nic.resolve("eth1");
            assertEquals("veth", nic.driver());
            try (Netdev netdev = Netdev.open()) {
                assertEquals(nic.ifindex(), netdev.device(nic.ifindex()).ifindex());
                List<QueueInfo> queues = netdev.queues(nic.ifindex());
                assertTrue(queues.stream().anyMatch(q -> q.type() == QueueType.RX && q.id() == 0), queues.toString());
                QueueInfo rx0 = netdev.queue(nic.ifindex(), 0, QueueType.RX);
                assertEquals(nic.ifindex(), rx0.ifindex());
                assertNull(rx0.dmabufBinding(), "nothing is bound");
                NetlinkException missing = assertThrows(NetlinkException.class, () -> netdev.device(999_999));
                assertEquals(Errno.ENODEV, missing.errno());
            }
        });
    }

    @Test
    void bindRxOnVethSaysTheDriverLacksDevmem() throws Exception {
        InNetns.run(pair.namespaceA(), () -> {
            Nic nic = Nic.resolve("eth1");
            int fd = memfd();
            try {
                MissingSupportException e = assertThrows(MissingSupportException.class,
                        () -> Netdev.bindRx("eth1", nic.driver(), nic.ifindex(), fd, List.of(0)));
                assertEquals("eth1: driver veth has no devmem RX queue API (bind-rx EOPNOTSUPP)", e.getMessage());
                NetlinkException cause = (NetlinkException) e.getCause();
                assertEquals(Errno.EOPNOTSUPP, cause.errno());
                assertEquals(20, cause.badAttributeOffset(), "the kernel points at ifindex");
                assertEquals("ifindex", cause.badAttribute());
            } finally {
                Libc.close(fd);
            }
        });
    }

    @Test
    void bindTxOnVethSaysTheDriverLacksNetmemTx() throws Exception {
        InNetns.run(pair.namespaceA(), () -> {
            Nic nic = Nic.resolve("eth1");
            int fd = memfd();
            try {
                MissingSupportException e = assertThrows(MissingSupportException.class,
                        () -> Netdev.bindTx("eth1", nic.driver(), nic.ifindex(), fd));
                assertEquals("eth1: driver veth has no devmem TX support (netmem_tx) (bind-tx EOPNOTSUPP: "
                        + "\"Driver does not support netmem TX\")", e.getMessage());
            } finally {
                Libc.close(fd);
            }
        });
    }

    @Test
    void probesGiveTheSameAnswerWithoutBinding() throws Exception {
        InNetns.run(pair.namespaceA(), () -> {
            Nic nic = Nic.resolve("eth1");
            KernelVersion kernel = KernelVersion.running();
            DevmemProbe.Result rx = DevmemProbe.probeRx(kernel, "eth1", nic.driver(), nic.ifindex(), 0);
            assertFalse(rx.supported());
            assertEquals(DevmemProbe.Verdict.INCAPABLE, rx.verdict());
            assertEquals("eth1: driver veth has no devmem RX queue API (bind-rx EOPNOTSUPP)", rx.reason());
            DevmemProbe.Result tx = DevmemProbe.probeTx(kernel, "eth1", nic.driver(), nic.ifindex());
            assertFalse(tx.supported());
            assertTrue(tx.reason().contains("Driver does not support netmem TX"), tx.reason());
        });
    }

    /** A bind is confirmed by queue-get: a veth queue shows no dma-buf, so a binding claimed on it is refused. */
    @Test
    void aBindingIsConfirmedOnlyWhenQueueGetShowsItsDmabuf() throws Exception {
        InNetns.run(pair.namespaceA(), () -> {
            Nic nic = Nic.resolve("eth1");
            java.io.IOException e = assertThrows(java.io.IOException.class,
                    () -> Netdev.confirmRxBinding("eth1", nic.ifindex(), List.of(0), 4));
            assertEquals("eth1: bind-rx returned binding 4 but queue-get shows queue 0 with no dma-buf", e.getMessage());
        });
        assertEquals(List.of("queue 9 with dma-buf binding 5", "queue 10 with no dma-buf"), Netdev.notBound(List.of(
                new QueueInfo(2, 8, QueueType.RX, null, 4), new QueueInfo(2, 9, QueueType.RX, null, 5),
                new QueueInfo(2, 10, QueueType.RX, null, null)), 4));
    }

    /** The kernel's strict validation, surfaced verbatim: no queues gives missing type 2; a bad queue type ERANGE. */
    @Test
    void malformedBindRequestsCarryTheKernelsExtendedAck() throws Exception {
        InNetns.run(pair.namespaceA(), () -> {
            Nic nic = Nic.resolve("eth1");
            try (GenericNetlink netlink = GenericNetlink.open()) {
                var family = netlink.family(Netdev.FAMILY);
                NetlinkException noQueues = assertThrows(NetlinkException.class, () -> netlink.execute("bind-rx",
                        Netdev.bindRxRequest(family, nic.ifindex(), -1, List.of())));
                assertEquals(Errno.EINVAL, noQueues.errno());
                assertEquals(2, noQueues.missingType());
                var badType = GenericNetlink.command(family, Netdev.CMD_BIND_RX).u32(1, "ifindex", nic.ifindex())
                        .u32(3, "fd", -1);
                int nest = badType.beginNest(2, "queues[0]");
                badType.u32(1, "queues[0].id", 0).u32(3, "queues[0].type", 2);
                badType.endNest(nest);
                NetlinkException range = assertThrows(NetlinkException.class, () -> netlink.execute("bind-rx", badType));
                assertEquals(Errno.ERANGE, range.errno());
                assertEquals("integer out of range", range.extackMessage());
                assertEquals("queues[0].type", range.badAttribute());
            }
        });
    }
}
