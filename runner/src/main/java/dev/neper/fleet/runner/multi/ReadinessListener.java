package dev.neper.fleet.runner.multi;

import dev.neper.fleet.runner.contract.LinkSetCommand;
import dev.neper.fleet.runner.log.RunLog;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A links server's readiness: once every link listens or has failed to, it answers on
 * {@link LinkSetCommand#READINESS_HOST} at {@link LinkSetCommand#readinessPort()}, accepting and closing
 * each connection (a TCP readiness probe only connects). A server whose last link cannot bind its
 * address is ready all the same, so its other links are measured and its clients learn at once that
 * the broken link has no server, instead of the whole pair waiting for its start deadline.
 */
final class ReadinessListener implements AutoCloseable {
    private final ServerSocketChannel channel;

    private ReadinessListener(ServerSocketChannel channel) {
        this.channel = channel;
        Thread.ofPlatform().daemon().name("readiness").start(this::answer);
    }

    /**
     * Opens the listener, or returns null when the last link itself listens there (a link on
     * loopback) or the port is taken, which is logged: then the probe sees what is on that port.
     */
    static ReadinessListener open(LinkSetCommand command) {
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(InetAddress.getByName(LinkSetCommand.READINESS_HOST), command.readinessPort());
        } catch (IOException e) {
            RunLog.warn("readiness: " + e.getMessage());
            return null;
        }
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open();
            channel.bind(address);
            RunLog.info("readiness: every link is up or failed; answering on " + address);
            return new ReadinessListener(channel);
        } catch (IOException e) {
            closeQuietly(channel);
            if (!command.links().getLast().localIp().equals(LinkSetCommand.READINESS_HOST)) {
                RunLog.warn("readiness: cannot listen on " + address + ": " + e.getMessage());
            }
            return null;
        }
    }

    private void answer() {
        while (channel.isOpen()) {
            try (SocketChannel ignored = channel.accept()) {
                // a probe only connects
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void closeQuietly(ServerSocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was bound
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }
}
