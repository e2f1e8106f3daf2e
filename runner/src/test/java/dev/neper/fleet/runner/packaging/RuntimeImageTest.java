package dev.neper.fleet.runner.packaging;

import dev.neper.fleet.runner.testing.Commands;
import dev.neper.fleet.runner.testing.Ports;
import dev.neper.fleet.runner.testing.Programs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dockerfile.runner's runtime, built the same way on the host (runner/build-runtime.sh) and used to
 * run the runner: proves runner/jlink-modules holds every module the runner needs, without a container
 * engine. The image itself is built and run by the local module's RunnerImageTest.
 */
class RuntimeImageTest {
    @TempDir
    static Path work;
    static Path javaBinary;

    @BeforeAll
    static void buildRuntime() {
        Path runtime = work.resolve("jre");
        Commands.check("bash", Path.of("build-runtime.sh").toAbsolutePath().toString(), runtime.toString());
        javaBinary = runtime.resolve("bin/java");
        List<String> modules = List.of(Commands.check(javaBinary.toString(), "--list-modules").split("\n"));
        assertEquals(3, modules.size(), "only the listed modules: " + modules);
    }

    /** The runner's classes and dependencies, as the image's jar holds them. */
    private static String classpath() {
        return System.getProperty("java.class.path");
    }

    private static Process runner(Path dir, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(javaBinary.toString(), "--enable-native-access=ALL-UNNAMED", "-cp",
                classpath(), "dev.neper.fleet.runner.Main"));
        command.addAll(args);
        return Programs.processBuilder(command).directory(dir.toFile()).redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile()).start();
    }

    @Test
    void aLoopbackRunWithItsReportsWorksOnTheMinimalRuntime() throws Exception {
        int base = Ports.freeBlock(4);
        Path s = Files.createDirectories(work.resolve("server"));
        Path c = Files.createDirectories(work.resolve("client"));
        List<String> link = List.of("links", "--link=lo,127.0.0.1,127.0.0.1", "-C", String.valueOf(base), "-P",
                String.valueOf(base + 1), "-l", "1", "--nolog");
        Process server = runner(s, concat(link, List.of("-s", "30", "--report-json=report.json", "--termination-summary=summary")));
        Process client = runner(c, concat(link, List.of("-c", "--connect-retries", "10")));
        try {
            assertTrue(client.waitFor(60, TimeUnit.SECONDS) && server.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, client.exitValue(), Files.readString(c.resolve("err")));
            assertEquals(0, server.exitValue(), Files.readString(s.resolve("err")));
            assertTrue(Files.readString(s.resolve("out")).contains("[lo] Throughput (Mbit/s): "));
            assertTrue(Files.readString(s.resolve("report.json")).contains("\"bytesReceived\""));
            assertTrue(Files.readString(s.resolve("summary")).contains("\"throughputGbps\""));
            assertFalse(Files.readString(s.resolve("err")).contains("Exception"), Files.readString(s.resolve("err")));
        } finally {
            server.destroyForcibly();
            client.destroyForcibly();
        }
    }

    @Test
    void signalsAreHandledOnTheMinimalRuntime() throws Exception {
        int base = Ports.freeBlock(2);
        Path dir = Files.createDirectories(work.resolve("term"));
        Process server = runner(dir, List.of("-C", String.valueOf(base), "-P", String.valueOf(base + 1), "-s", "30",
                "--nolog", "--report-json=report.json"));
        try {
            Ports.awaitListening(java.net.InetAddress.getLoopbackAddress(), base, 20);
            server.destroy();
            assertTrue(server.waitFor(20, TimeUnit.SECONDS));
            assertEquals(1, server.exitValue());
            assertTrue(Files.readString(dir.resolve("report.json")).contains("TERMINATED"));
        } finally {
            server.destroyForcibly();
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
