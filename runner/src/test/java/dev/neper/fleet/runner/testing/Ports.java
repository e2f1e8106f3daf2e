package dev.neper.fleet.runner.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Finds a block of consecutive free TCP ports on loopback, so parallel test runs do not collide. */
public final class Ports {
    private Ports() {
    }

    public static int freeBlock(int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 20_000 + ThreadLocalRandom.current().nextInt(30_000);
            if (allFree(base, count)) {
                return base;
            }
        }
        throw new IllegalStateException("no block of " + count + " free ports found");
    }

    /**
     * Waits until something accepts connections on the port. The probe connects and closes without
     * sending, which a runner server logs but does not count as an invalid client.
     */
    public static void awaitListening(InetAddress host, int port, long seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (true) {
            try (java.net.Socket probe = new java.net.Socket(host, port)) {
                return;
            } catch (IOException e) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("nothing listens on " + host + ":" + port + " after " + seconds + " s");
                }
                Thread.sleep(50);
            }
        }
    }

    private static boolean allFree(int base, int count) {
        for (int port = base; port < base + count; port++) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
