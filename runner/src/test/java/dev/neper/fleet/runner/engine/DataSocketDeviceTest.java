package dev.neper.fleet.runner.engine;

import dev.neper.fleet.runner.contract.MemoryMode;
import dev.neper.fleet.runner.contract.OptionSpec;
import dev.neper.fleet.runner.contract.Options;
import dev.neper.fleet.runner.sys.Sockets;
import dev.neper.fleet.runner.sys.SysCallException;
import dev.neper.fleet.runner.testing.InNetns;
import dev.neper.fleet.runner.testing.NetnsPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data-socket device (SO_BINDTODEVICE) on real sockets in two namespaces joined by a veth, read
 * back with getsockopt (the namespaces are the test's own, so any port is free): devmem TX finds its binding only through the bound device's route, so a
 * devmem sender's sockets must be bound to the link before they connect.
 */
class DataSocketDeviceTest {
    private static final int IFNAMSIZ = 16;
    private static NetnsPair pair;

    @BeforeAll
    static void namespaces() {
        pair = NetnsPair.create("sockdev", 38);
    }

    @AfterAll
    static void cleanUp() {
        pair.close();
    }

    private static String boundDevice(int fd) throws SysCallException {
        return Sockets.getString(fd, Sockets.SOL_SOCKET, Sockets.SO_BINDTODEVICE, "SO_BINDTODEVICE", IFNAMSIZ);
    }

    /** A listener on host A, port of its own, bound as {@code server} says; returns its fd. */
    private static int listener(Options server, int port) throws Exception {
        return InNetns.call(pair.namespaceA(), () -> DataSockets.listen(
                new InetSocketAddress(InetAddress.getByName(pair.addressA()), port), server));
    }

    @Test
    void aDevmemSendersSocketIsBoundToTheLinkBeforeItConnects() throws Exception {
        int port = 20001;
        int listener = listener(Options.defaults(), port);
        try {
            Options sender = Options.defaults().with(OptionSpec.CLIENT, true).with(OptionSpec.MODE, MemoryMode.UDMABUF)
                    .with(OptionSpec.TCPD_LINK_NAME, "eth1");
            int fd = InNetns.call(pair.namespaceB(), () -> DataSockets.connect(
                    new InetSocketAddress(InetAddress.getByName(pair.addressA()), port), null, sender));
            try {
                assertEquals("eth1", boundDevice(fd));
                assertEquals(pair.addressB(), Sockets.localAddress(fd).getAddress().getHostAddress());
            } finally {
                Sockets.closeQuietly(fd);
            }
        } finally {
            Sockets.closeQuietly(listener);
        }
    }

    @Test
    void bindDeviceBindsListenersInHostModeAndNothingIsBoundByDefault() throws Exception {
        int bound = listener(Options.defaults().with(OptionSpec.BIND_DEVICE, "eth1"), 20002);
        int unbound = listener(Options.defaults(), 20003);
        try {
            assertEquals("eth1", boundDevice(bound));
            assertEquals("", boundDevice(unbound));
        } finally {
            Sockets.closeQuietly(bound);
            Sockets.closeQuietly(unbound);
        }
    }

    /** Bound before connect: a socket bound to lo has no route to the peer, so the connect itself fails. */
    @Test
    void theBindingDecidesTheRouteOfTheConnect() throws Exception {
        int port = 20004;
        int listener = listener(Options.defaults(), port);
        try {
            Options onLoopback = Options.defaults().with(OptionSpec.CLIENT, true).with(OptionSpec.BIND_DEVICE, "lo");
            SysCallException e = assertThrows(SysCallException.class, () -> InNetns.call(pair.namespaceB(),
                    () -> DataSockets.connect(new InetSocketAddress(InetAddress.getByName(pair.addressA()), port), null,
                            onLoopback)));
            assertTrue(e.getMessage().startsWith("connect:"), e.getMessage());
        } finally {
            Sockets.closeQuietly(listener);
        }
    }

    @Test
    void aMissingDeviceIsNamed() {
        Options o = Options.defaults().with(OptionSpec.CLIENT, true).with(OptionSpec.BIND_DEVICE, "eth9");
        SysCallException e = assertThrows(SysCallException.class, () -> InNetns.call(pair.namespaceB(),
                () -> DataSockets.connect(new InetSocketAddress(InetAddress.getByName(pair.addressA()), 9), null, o)));
        assertEquals("setsockopt(SO_BINDTODEVICE eth9): ENODEV (19, No such device)", e.getMessage());
    }
}
