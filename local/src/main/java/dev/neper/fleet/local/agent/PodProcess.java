package dev.neper.fleet.local.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A pod's container while it runs: the process the agent started (the runner itself, or the podman
 * client attached to the container, which exits with the container's exit code), its logs, and the
 * termination-message file the container writes.
 */
public final class PodProcess {
    /** The kubelet keeps at most this much of a termination message. */
    static final int MAX_MESSAGE_BYTES = 4096;
    /** With FallbackToLogsOnError and an empty termination file, the last lines of the log become the message. */
    private static final int FALLBACK_LOG_LINES = 80;

    /** How the container behind the process is found and stopped. */
    interface Control {
        /** The host pid of the container's first process. */
        long pid(Process process);

        /** SIGTERM, then SIGKILL after the grace period; returns once the container has stopped or given up. */
        void stop(Process process, long graceSeconds) throws InterruptedException;
    }

    /** The process is the container: signals go to it directly. */
    static final Control DIRECT = new Control() {
        @Override
        public long pid(Process process) {
            return process.pid();
        }

        @Override
        public void stop(Process process, long graceSeconds) throws InterruptedException {
            process.destroy();
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    };

    private final Process process;
    private final List<String> argv;
    private final Path directory;
    private final Path terminationMessage;
    private final Control control;
    private final Instant started;

    private PodProcess(Process process, List<String> argv, Path directory, Path terminationMessage, Control control,
                       Instant started) {
        this.process = process;
        this.argv = argv;
        this.directory = directory;
        this.terminationMessage = terminationMessage;
        this.control = control;
        this.started = started;
    }

    /** Starts {@code argv} with its output in {@code directory}, after emptying the termination file. */
    static PodProcess start(List<String> argv, Map<String, String> environment, Path terminationMessage,
                            Path directory, Control control) throws IOException {
        Files.createDirectories(directory);
        Files.deleteIfExists(terminationMessage);
        Files.createFile(terminationMessage);
        ProcessBuilder builder = new ProcessBuilder(argv).directory(directory.toFile())
                .redirectOutput(directory.resolve("stdout.log").toFile())
                .redirectError(directory.resolve("stderr.log").toFile());
        builder.environment().putAll(environment);
        return new PodProcess(builder.start(), List.copyOf(argv), directory, terminationMessage, control, Instant.now());
    }

    /** The command line the agent started. */
    public List<String> argv() {
        return argv;
    }

    public Instant started() {
        return started;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The host pid of the container's first process (the runner's JVM), -1 when it is not running. */
    public long pid() {
        return control.pid(process);
    }

    public int exitCode() {
        return process.exitValue();
    }

    /** Waits for the container to end; whether it did within the timeout. */
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        return process.waitFor(timeout, unit);
    }

    /** What the container printed on standard output and error. */
    public String stdout() throws IOException {
        return Files.readString(directory.resolve("stdout.log"));
    }

    public String stderr() throws IOException {
        return Files.readString(directory.resolve("stderr.log"));
    }

    /**
     * What the kubelet would report as the termination message: the termination file, else, when the
     * container failed and the policy falls back to logs, the end of its output.
     */
    public String terminationMessage(boolean fallbackToLogs) throws IOException {
        if (Files.exists(terminationMessage) && Files.size(terminationMessage) > 0) {
            return truncate(Files.readString(terminationMessage));
        }
        if (!fallbackToLogs || exitCode() == 0) {
            return "";
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(directory.resolve("stderr.log"), StandardCharsets.UTF_8));
        List<String> tail = lines.subList(Math.max(0, lines.size() - FALLBACK_LOG_LINES), lines.size());
        return truncate(String.join("\n", tail));
    }

    private static String truncate(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= MAX_MESSAGE_BYTES ? text
                : new String(bytes, bytes.length - MAX_MESSAGE_BYTES, MAX_MESSAGE_BYTES, StandardCharsets.UTF_8);
    }

    /** SIGTERM, then SIGKILL after the grace period, as the kubelet stops a container. */
    public void stop(long graceSeconds) throws InterruptedException {
        if (process.isAlive()) {
            control.stop(process, graceSeconds);
        }
    }
}
