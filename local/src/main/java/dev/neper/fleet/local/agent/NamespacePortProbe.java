package dev.neper.fleet.local.agent;

import dev.neper.fleet.runner.sys.NetworkNamespace;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The kubelet's tcpSocket probe, made from inside a node's network namespace: one thread that has
 * moved itself into the namespace (setns acts on the calling thread only) opens the connections, so
 * probing costs no process per probe. Like the kubelet, it only connects and closes.
 */
final class NamespacePortProbe implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 1000;

    private final ExecutorService thread;
    private final Future<?> entered;

    NamespacePortProbe(String namespace) {
        this.thread = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon()
                .name("probe-" + namespace).unstarted(r));
        this.entered = thread.submit(() -> {
            NetworkNamespace.enterCurrentThread(namespace);
            return null;
        });
    }

    /** Whether something accepts connections on host:port in the node's namespace. */
    boolean accepts(String host, int port) throws InterruptedException {
        try {
            entered.get();
            return thread.submit(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            }).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot probe inside namespace: " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public void close() throws InterruptedException {
        thread.shutdownNow();
        thread.awaitTermination(5, TimeUnit.SECONDS);
    }
}
