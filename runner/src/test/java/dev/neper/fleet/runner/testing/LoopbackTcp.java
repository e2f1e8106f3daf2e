package dev.neper.fleet.runner.testing;

import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.sys.Sockets;
import dev.neper.fleet.runner.sys.SysCallException;

/** A connected TCP pair on loopback, as raw descriptors: the kernel's real socket paths for tests. */
public final class LoopbackTcp implements AutoCloseable {
    public final int client;
    public final int server;

    private LoopbackTcp(int client, int server) {
        this.client = client;
        this.server = server;
    }

    public static LoopbackTcp open() throws SysCallException {
        int[] pair = Sockets.loopbackStreamPair(0, 5000);
        return new LoopbackTcp(pair[0], pair[1]);
    }

    @Override
    public void close() {
        Libc.close(client);
        Libc.close(server);
    }
}
