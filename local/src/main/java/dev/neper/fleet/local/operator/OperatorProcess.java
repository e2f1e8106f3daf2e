package dev.neper.fleet.local.operator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator, run as it runs in a cluster (its Quarkus application jar in its own JVM), pointed at
 * the fleet's API server through Quarkus's kubernetes-client settings and watching one namespace. It
 * takes part in leader election under {@code identity}, as a replica does under its pod's name.
 */
public final class OperatorProcess implements AutoCloseable {
    private final Process process;
    private final String identity;
    private final Path log;

    private OperatorProcess(Process process, String identity, Path log) {
        this.process = process;
        this.identity = identity;
        this.log = log;
    }

    /** @param clientEnvironment how the operator reaches the API: a server URL, or a KUBECONFIG */
    public static OperatorProcess start(Path applicationJar, Map<String, String> clientEnvironment, String namespace,
                                        String identity, Path log) throws IOException {
        if (!Files.isRegularFile(applicationJar)) {
            throw new IOException("no operator at " + applicationJar + "; build it with ./mvnw -DskipTests package");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-jar", applicationJar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(clientEnvironment);
        builder.environment().put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", namespace);
        builder.environment().put("NEPER_LEADER_ELECTION_IDENTITY", identity);
        // the fleet's port for the operator's HTTP endpoints (metrics, health): any free one
        builder.environment().put("QUARKUS_HTTP_PORT", "0");
        return new OperatorProcess(builder.start(), identity, log);
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

    /** SIGKILL, as a node that dies takes its operator: no shutdown, the Lease is left to expire. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
