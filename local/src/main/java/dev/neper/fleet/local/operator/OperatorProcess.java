package dev.neper.fleet.local.operator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator, run as it runs in a cluster (its Quarkus application in its own JVM, from its jar or
 * its image), pointed at the fleet's API server through Quarkus's kubernetes-client settings and
 * watching one namespace. It takes part in leader election under {@code identity}, as a replica does
 * under its pod's name.
 */
public final class OperatorProcess implements AutoCloseable {
    /** Quarkus's startup line names the port it took ("Listening on: http://0.0.0.0:41234"). */
    private static final Pattern LISTENING = Pattern.compile("Listening on: http://[^:]+:(\\d+)");

    private final Process process;
    private final OperatorLaunch launch;
    private final String identity;
    private final Path log;

    private OperatorProcess(Process process, OperatorLaunch launch, String identity, Path log) {
        this.process = process;
        this.launch = launch;
        this.identity = identity;
        this.log = log;
    }

    /** @param settings the operator's environment: how it reaches the API (a server URL, or a KUBECONFIG) and more */
    public static OperatorProcess start(OperatorLaunch launch, Map<String, String> settings, String namespace,
                                        String identity, Path log) throws IOException {
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", namespace);
        environment.put("NEPER_LEADER_ELECTION_IDENTITY", identity);
        // the fleet's port for the operator's HTTP endpoints (metrics, health): any free one
        environment.put("QUARKUS_HTTP_PORT", "0");
        ProcessBuilder builder = new ProcessBuilder(launch.command(identity, environment.keySet()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return new OperatorProcess(builder.start(), launch, identity, log);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** How the operator ended, once it has: "exited with code 1", "was killed by signal 9". */
    public String exitDescription() {
        int code = process.exitValue();
        // a JVM's exit code for a process a signal ended is 128 and the signal's number, as a shell's
        return code > 128 && code < 128 + 64 ? "was killed by signal " + (code - 128) + " (exit code " + code + ")"
                : "exited with code " + code;
    }

    /** Its name in the leader election's Lease. */
    public String identity() {
        return identity;
    }

    public Path log() {
        return log;
    }

    /** The port of its HTTP endpoints, once it has started listening. */
    public OptionalInt httpPort() throws IOException {
        Matcher m = LISTENING.matcher(Files.readString(log));
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    /**
     * Waits until its readiness endpoint (/q/health/ready) answers 200, as a readiness probe would;
     * returns that answer. Throws when it exits or the timeout passes first.
     */
    public String awaitReady(Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        String last = "no HTTP port in its log yet";
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            while (System.nanoTime() < end) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the operator exited (" + process.exitValue() + "); its log: " + log);
                }
                OptionalInt port = httpPort();
                if (port.isPresent()) {
                    try {
                        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + port.getAsInt() + "/q/health/ready"))
                                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                        if (answer.statusCode() == 200) {
                            return answer.body();
                        }
                        last = answer.statusCode() + " " + answer.body();
                    } catch (IOException e) {
                        last = e.toString();
                    }
                }
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException("the operator was not ready within " + timeout.toSeconds() + " s: " + last
                + "; its log: " + log);
    }

    /**
     * SIGKILL, as a node that dies takes its operator: no shutdown, the Lease is left to expire (for an
     * image, to its container: killing the podman client would leave the container running).
     */
    public void kill() throws InterruptedException {
        launch.kill(identity, process);
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * SIGTERM (for an image, passed on to the container by the podman client), SIGKILL after 15 s;
     * returns the exit code, or -1 when it had to be killed.
     */
    public int stop() throws InterruptedException {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                    return -1;
                }
            }
            return process.exitValue();
        } finally {
            launch.cleanUp(identity);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
