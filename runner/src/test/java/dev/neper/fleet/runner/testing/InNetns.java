package dev.neper.fleet.runner.testing;

import dev.neper.fleet.runner.sys.NetworkNamespace;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs code inside a network namespace without a child process: a fresh platform thread moves
 * itself (and only itself: setns acts on the calling thread) into the namespace, runs the code and
 * ends. Sockets, netlink requests and ioctls made there see that namespace's devices.
 */
public final class InNetns {
    private InNetns() {
    }

    public static <T> T call(String namespace, Callable<T> code) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicReference<Error> error = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name("in-" + namespace).start(() -> {
            try {
                NetworkNamespace.enterCurrentThread(namespace);
                result.set(code.call());
            } catch (Exception e) {
                failure.set(e);
            } catch (Error e) {
                error.set(e);
            }
        });
        thread.join(60_000);
        if (thread.isAlive()) {
            throw new AssertionError("code in namespace " + namespace + " still running after 60 s");
        }
        if (error.get() != null) {
            throw error.get();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }

    public static void run(String namespace, ThrowingRunnable code) throws Exception {
        call(namespace, () -> {
            code.run();
            return null;
        });
    }

    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }
}
