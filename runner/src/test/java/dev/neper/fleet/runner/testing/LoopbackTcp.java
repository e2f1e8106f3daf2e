package dev.neper.fleet.runner.testing;

import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.sys.Sockets;
import dev.neper.fleet.runner.sys.SysCallException;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** A connected TCP pair on loopback, as raw descriptors: the kernel's real socket paths for tests. */
public final class LoopbackTcp implements AutoCloseable {
    public final int client;
    public final int server;

    private LoopbackTcp(int client, int server) {
        this.client = client;
        this.server = server;
    }

    public static LoopbackTcp open() throws SysCallException {
        int listener = Sockets.open(2, 0);
        try {
            Sockets.bind(listener, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Sockets.listen(listener, 1);
            InetSocketAddress address = Sockets.localAddress(listener);
            int client = Sockets.open(2, 0);
            Sockets.connect(client, address, 5000);
            int server = SysCallException.check("accept4", Libc.accept4(listener, MemorySegment.NULL,
                    MemorySegment.NULL, Sockets.SOCK_CLOEXEC));
            return new LoopbackTcp(client, server);
        } finally {
            Libc.close(listener);
        }
    }

    @Override
    public void close() {
        Libc.close(client);
        Libc.close(server);
    }
}
