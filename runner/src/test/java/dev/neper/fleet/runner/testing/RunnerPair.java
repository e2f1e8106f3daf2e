package dev.neper.fleet.runner.testing;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A runner server and a runner client started together (each optionally in its own namespace). */
public record RunnerPair(RunnerProcess server, RunnerProcess client) implements AutoCloseable {
    /**
     * Starts the server with {@code serverArgs} plus a suicide length, then the client with
     * {@code clientArgs} plus -c and a bounded connect retry, so nothing can hang.
     */
    public static RunnerPair start(String serverNamespace, String clientNamespace, List<String> serverArgs,
                                   List<String> clientArgs) {
        List<String> s = new ArrayList<>(serverArgs);
        s.addAll(List.of("-s", "60"));
        List<String> c = new ArrayList<>(clientArgs);
        c.addAll(List.of("-c", "--connect-retries", "15"));
        RunnerProcess server = RunnerProcess.start(serverNamespace, s);
        try {
            return new RunnerPair(server, RunnerProcess.start(clientNamespace, c));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** Waits for both to exit 0; a failure shows both sides' stderr, since one side's end often says why the other failed. */
    public void awaitSuccess(long seconds) {
        int clientExit = client.awaitExit(seconds);
        int serverExit = server.awaitExit(seconds);
        assertEquals(0, clientExit, () -> "client failed: " + client.stderr() + client.stdout() + "\nserver: " + server.stderr());
        assertEquals(0, serverExit, () -> "server failed: " + server.stderr() + server.stdout() + "\nclient: " + client.stderr());
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
