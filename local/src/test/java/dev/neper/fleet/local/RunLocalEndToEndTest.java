package dev.neper.fleet.local;

import dev.neper.fleet.local.images.ProjectImages;
import dev.neper.fleet.runner.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * run-local's main as a user runs it, in its own JVM: stopped with SIGTERM mid-test, and with its
 * operator killed mid-test. Either way it says what happened in plain lines (no stack trace),
 * removes everything it made and exits non-zero.
 */
class RunLocalEndToEndTest {
    private static final Pattern NAMESPACES = Pattern.compile("network namespaces (nf[a-z0-9]+-)\\*");
    private static final Pattern LOGS = Pattern.compile("logs: (\\S+) \\(this tool\\), (\\S+) \\(the operator and every pod\\)");
    private static final long TIMEOUT_SECONDS = 120;
    private final List<Process> started = new ArrayList<>();
    private Path directory;

    @AfterEach
    void stopWhatIsLeft() throws Exception {
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (directory != null) {
            deleteTheLogsItNamed();
            try (var files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(directory);
        }
    }

    /** A run that did not pass keeps its logs and says where; the test removes them once it has read them. */
    private void deleteTheLogsItNamed() throws IOException {
        Matcher logs = LOGS.matcher(stdout() + stderr());
        while (logs.find()) {
            for (int group = 1; group <= 2; group++) {
                Path path = Path.of(logs.group(group));
                if (path.startsWith(Path.of(System.getProperty("java.io.tmpdir")))) {
                    TestFiles.deleteTree(path);
                }
            }
        }
    }

    private Process runLocal() throws IOException {
        directory = Files.createTempDirectory("run-local-");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
                LocalFleetMain.class.getName(), "--root", ProjectImages.ROOT.toString(), "--test",
                "docs/examples/nepertest-host.yaml")
                .redirectOutput(directory.resolve("stdout").toFile())
                .redirectError(directory.resolve("stderr").toFile())
                .start();
        started.add(process);
        return process;
    }

    private String stdout() throws IOException {
        return Files.readString(directory.resolve("stdout"));
    }

    private String stderr() throws IOException {
        return Files.readString(directory.resolve("stderr"));
    }

    private void awaitOutput(String text) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!stdout().contains(text)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("run-local never printed '" + text + "': " + stdout() + stderr());
            }
            Thread.sleep(200);
        }
    }

    private String namespacePrefix() throws IOException {
        Matcher m = NAMESPACES.matcher(stdout());
        assertTrue(m.find(), stdout());
        return m.group(1);
    }

    private static List<String> namespacesLeft(String prefix) throws IOException {
        try (var names = Files.list(Path.of("/var/run/netns"))) {
            return names.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList();
        }
    }

    /** Its operator and runner processes as they are now, to check that none outlives it. */
    private static List<ProcessHandle> partsOf(Process runLocal) {
        return runLocal.descendants().toList();
    }

    private void assertEndedCleanly(Process process, int expectedCode, List<ProcessHandle> parts) throws Exception {
        assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "run-local did not end: " + stdout() + stderr());
        String said = stdout() + stderr();
        assertEquals(expectedCode, process.exitValue(), said);
        assertFalse(said.contains("Exception") || said.contains("\tat "), "no stack trace: " + said);
        assertFalse(said.contains("cleanup:"), "nothing failed to clean up: " + said);
        assertEquals(List.of(), namespacesLeft(namespacePrefix()), "every network namespace removed: " + said);
        assertEquals(List.of(), parts.stream().filter(ProcessHandle::isAlive).toList(), "no operator or runner left: " + said);
        // a runner's command line names its pod's directory, which is under the fleet's work directory
        String fleetId = namespacePrefix().substring(2, namespacePrefix().length() - 1);
        assertEquals(List.of(), ProcessHandle.allProcesses().filter(p -> p.info().arguments()
                .map(a -> String.join(" ", a).contains("neper-local-" + fleetId + "-")).orElse(false)).toList(),
                "no runner left: " + said);
    }

    @Test
    void sigtermStopsItCleanly() throws Exception {
        Process runLocal = runLocal();
        awaitOutput("phase Starting");
        List<ProcessHandle> parts = partsOf(runLocal);
        runLocal.destroy();
        assertEndedCleanly(runLocal, 143, parts);
        assertTrue(stderr().contains("neper-local: stopped; the local fleet is removed"), stderr());
        assertTrue(LOGS.matcher(stderr()).find(), "where the logs stay: " + stderr());
    }

    @Test
    void itsOperatorDyingEndsItWithTheLastStatusAndWhy() throws Exception {
        Process runLocal = runLocal();
        awaitOutput("phase Starting");
        Optional<ProcessHandle> operator = runLocal.children()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains("quarkus-run.jar")).orElse(false))
                .findFirst();
        assertTrue(operator.isPresent(), "the operator is a child of run-local");
        List<ProcessHandle> parts = partsOf(runLocal);
        operator.get().destroyForcibly();
        assertEndedCleanly(runLocal, 1, parts);
        String out = stdout();
        assertTrue(out.contains("PAIR (server <- client)"), "the last status: " + out);
        assertTrue(out.contains("the operator was killed by signal 9 (exit code 137)"), out);
        assertTrue(out.contains("NeperTest local-pair did not end"), out);
        assertTrue(LOGS.matcher(out).find(), "where the logs stay: " + out);
    }
}
