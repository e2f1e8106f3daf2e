package dev.neper.fleet.operator.report;

import dev.neper.fleet.operator.api.NeperFleetTest;
import dev.neper.fleet.operator.testing.FleetRunFixture;
import dev.neper.fleet.runner.testing.TestFiles;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/neper-fleet report from files as kubectl writes them, and its bad input. */
@Tag("unit")
class ReportMainTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T03:00:00Z"), ZoneOffset.UTC);
    private final Path dir = Files.createTempDirectory("neper-report-");

    ReportMainTest() throws Exception {
    }

    @AfterEach
    void cleanUp() throws Exception {
        TestFiles.deleteTree(dir);
    }

    private static int cells(String html) {
        return html.split("<td class=\"cell", -1).length - 1;
    }

    @Test
    void fromAListOfTheFleetTestAndItsChildrenEveryNodeIsInTheHeatmap() throws Exception {
        NeperFleetTest fleet = FleetRunFixture.fleetTest();
        fleet.setApiVersion("neper.dev/v1alpha1");
        fleet.setKind("NeperFleetTest");
        List<HasMetadata> items = new ArrayList<>(List.of(fleet));
        FleetRunFixture.children().forEach(c -> {
            c.setApiVersion("neper.dev/v1alpha1");
            c.setKind("NeperTest");
            items.add(c);
        });
        Path input = Files.writeString(dir.resolve("run.json"),
                Serialization.asJson(Map.of("apiVersion", "v1", "kind", "List", "items", items)));
        Path output = dir.resolve("sub/report.html");
        assertEquals(0, ReportMain.run(List.of("report", "--input", input.toString(), "--output", output.toString()), CLOCK));
        String html = Files.readString(output);
        assertEquals(12, cells(html));
        assertTrue(html.contains("neper-fleet/nightly run " + FleetRunFixture.RUN_ID));
    }

    @Test
    void fromTheStatusAloneTheNamedNodesAreShownAndTheReportSaysSo() throws Exception {
        Path input = Files.writeString(dir.resolve("status.json"), Serialization.asJson(FleetRunFixture.status()));
        Path output = dir.resolve("report.html");
        assertEquals(0, ReportMain.run(List.of("report", "--input", input.toString(), "--output", output.toString()), CLOCK));
        String html = Files.readString(output);
        assertEquals(6, cells(html), "node-3, node-4 and node-6");
        assertTrue(html.contains("From the status alone"));
    }

    @Test
    void badArgumentsAndUnreadableFilesAreRefusedWithoutAPage() throws Exception {
        Path output = dir.resolve("report.html");
        assertEquals(2, ReportMain.run(List.of("report"), CLOCK));
        assertEquals(2, ReportMain.run(List.of("report", "a", "--input", "x"), CLOCK));
        assertEquals(2, ReportMain.run(List.of("report", "--bogus"), CLOCK));
        Path garbage = Files.writeString(dir.resolve("garbage.json"), "[1, 2");
        assertEquals(1, ReportMain.run(List.of("report", "--input", garbage.toString(), "--output", output.toString()), CLOCK));
        Path pod = Files.writeString(dir.resolve("pod.json"), "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"p\"}}");
        assertEquals(1, ReportMain.run(List.of("report", "--input", pod.toString(), "--output", output.toString()), CLOCK));
        assertFalse(Files.exists(output));
    }
}
