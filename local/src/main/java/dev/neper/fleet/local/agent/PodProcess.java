package dev.neper.fleet.local.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A pod's container as a process in its node's network namespace, with its logs and termination file. */
final class PodProcess {
    /** The kubelet keeps at most this much of a termination message. */
    static final int MAX_MESSAGE_BYTES = 4096;
    /** With FallbackToLogsOnError and an empty termination file, the last lines of the log become the message. */
    private static final int FALLBACK_LOG_LINES = 80;

    private final Process process;
    private final Path directory;
    private final LocalCommand command;
    private final Instant started;

    private PodProcess(Process process, Path directory, LocalCommand command, Instant started) {
        this.process = process;
        this.directory = directory;
        this.command = command;
        this.started = started;
    }

    static PodProcess start(String namespace, LocalCommand command, Path directory) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        argv.addAll(command.argv());
        Files.createDirectories(directory);
        Files.deleteIfExists(command.terminationMessage());
        ProcessBuilder builder = new ProcessBuilder(argv).directory(directory.toFile())
                .redirectOutput(directory.resolve("stdout.log").toFile())
                .redirectError(directory.resolve("stderr.log").toFile());
        builder.environment().putAll(command.environment());
        return new PodProcess(builder.start(), directory, command, Instant.now());
    }

    Instant started() {
        return started;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    int exitCode() {
        return process.exitValue();
    }

    /**
     * What the kubelet would report as the termination message: the termination file, else, when the
     * container failed and the policy falls back to logs, the end of its output.
     */
    String terminationMessage(boolean fallbackToLogs) throws IOException {
        Path file = command.terminationMessage();
        if (Files.exists(file) && Files.size(file) > 0) {
            return truncate(Files.readString(file));
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
    void stop(long graceSeconds) throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
