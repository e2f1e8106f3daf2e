package dev.neper.fleet.runner.testing;

import dev.neper.fleet.runner.contract.ReportJson;
import dev.neper.fleet.runner.contract.RunReport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The runner's Main in a child JVM (optionally inside a network namespace), with stdout, stderr and
 * the JSON report captured in a temporary directory. {@link #close} kills it if it still runs and
 * removes that directory, so a test, passing or failing, leaves neither a process nor a file behind.
 */
public final class RunnerProcess implements AutoCloseable {
    private static final String REPORT_PLACEHOLDER = "@REPORT@";
    private final Process process;
    private final Path directory;
    private final List<String> args;

    private RunnerProcess(Process process, Path directory, List<String> args) {
        this.process = process;
        this.directory = directory;
        this.args = args;
    }

    /**
     * Starts the runner with these arguments plus --report-json into its directory, and --nolog
     * unless the arguments ask for --logtostderr (whose lines {@link #awaitStderr} can wait for).
     */
    public static RunnerProcess start(String namespace, List<String> args) {
        List<String> all = new ArrayList<>(args);
        if (!args.contains("--logtostderr")) {
            all.add("--nolog");
        }
        all.add("--report-json=" + REPORT_PLACEHOLDER);
        return startExactly(namespace, all, Map.of());
    }

    /**
     * Starts the runner with exactly these arguments (a subcommand's own command line), with
     * {@code environment} added to this JVM's; {@link #report} is only there if they ask for it.
     */
    public static RunnerProcess startExactly(String namespace, List<String> args, Map<String, String> environment) {
        try {
            Path dir = Files.createTempDirectory("runner-");
            List<String> command = new ArrayList<>(List.of(javaBinary(), "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), "dev.neper.fleet.runner.Main"));
            args.forEach(a -> command.add(a.replace(REPORT_PLACEHOLDER, dir.resolve("report.json").toString())));
            List<String> full = namespace != null ? NetnsPair.inNamespace(namespace, command) : command;
            ProcessBuilder builder = Programs.processBuilder(full).directory(dir.toFile())
                    .redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile());
            builder.environment().putAll(environment);
            return new RunnerProcess(builder.start(), dir, args);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the runner", e);
        }
    }

    public static RunnerProcess start(List<String> args) {
        return start(null, args);
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Waits for exit; returns the exit code, failing the test if it takes longer than {@code seconds}. */
    public int awaitExit(long seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("runner " + args + " still running after " + seconds + " s; stderr: " + stderr());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Waits until stdout contains {@code text}; fails if the runner exits or the time runs out first. */
    public void awaitStdout(String text, long seconds) throws InterruptedException {
        await("stdout", text, seconds);
    }

    /** Waits until stderr (where --logtostderr puts the log) contains {@code text}. */
    public void awaitStderr(String text, long seconds) throws InterruptedException {
        await("stderr", text, seconds);
    }

    private void await(String stream, String text, long seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!read(stream).contains(text)) {
            if (System.nanoTime() > end || !process.isAlive()) {
                throw new AssertionError("no '" + text + "' from the runner " + args + ": " + stderr());
            }
            Thread.sleep(50);
        }
    }

    /** The directory holding stdout, stderr and report.json. */
    public Path directory() {
        return directory;
    }

    public Process process() {
        return process;
    }

    public String stdout() {
        return read("stdout");
    }

    public String stderr() {
        return read("stderr");
    }

    private String read(String name) {
        try {
            return Files.readString(directory.resolve(name));
        } catch (IOException e) {
            return "";
        }
    }

    /** The key=value lines of stdout, in order (later duplicates win). */
    public Map<String, String> keyValues() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : stdout().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }

    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (String line : stdout().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                keys.add(line.substring(0, eq));
            }
        }
        return keys;
    }

    public RunReport report() {
        try {
            return ReportJson.fromJson(Files.readString(directory.resolve("report.json")), RunReport.class);
        } catch (IOException e) {
            throw new AssertionError("no JSON report from " + args + "; stderr: " + stderr(), e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deleteDirectory();
    }

    private void deleteDirectory() {
        try {
            TestFiles.deleteTree(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the runner's directory " + directory, e);
        }
    }
}
