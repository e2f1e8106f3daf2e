package dev.neper.fleet.runner.output;

import dev.neper.fleet.runner.contract.ErrorKind;
import dev.neper.fleet.runner.contract.Options;
import dev.neper.fleet.runner.contract.ReportJson;
import dev.neper.fleet.runner.contract.OptionSpec;
import dev.neper.fleet.runner.contract.Role;
import dev.neper.fleet.runner.contract.RunError;
import dev.neper.fleet.runner.contract.RunReport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The end block's values (and the JSON report's) as the wire gives them, and the server's count of refused strays. */
@Tag("unit")
class EndLinesTest {
    private static RunReport report(Options options, int refused, long remoteRate) {
        RunReport base = RunReport.setupFailed(options, "test", new RunError(ErrorKind.INTERNAL, "x"));
        return new RunReport(base.schemaVersion(), "test", base.role(), true, options, null, 0, refused, 0, null, 0,
                remoteRate, base.usage(), List.of(), List.of(), null, null, null);
    }

    @Test
    void aRateOfTwoToTheSixtyFourMinusOneFromTheWireIsPrintedUnsigned() {
        List<String> lines = NeperOutput.endLines(report(Options.defaults().with(OptionSpec.CLIENT, true), 0, -1L));
        assertTrue(lines.contains("remote_throughput=18446744073709551615"), lines.toString());
    }

    @Test
    void theJsonReportWritesTheWiresRateUnsignedAndReadsItBack() throws Exception {
        String json = ReportJson.toCompactJson(report(Options.defaults().with(OptionSpec.CLIENT, true), 0, -1L));
        assertTrue(json.contains("\"remoteThroughputBitsPerSecond\":18446744073709551615"), json);
        assertEquals(-1L, ReportJson.fromJson(json, RunReport.class).remoteThroughputBitsPerSecond());
        String small = ReportJson.toCompactJson(report(Options.defaults().with(OptionSpec.CLIENT, true), 0, 14_690_000_000L));
        assertTrue(small.contains("\"remoteThroughputBitsPerSecond\":14690000000"), small);
        String negative = json.replace("18446744073709551615", "-5");
        assertThrows(com.fasterxml.jackson.databind.JsonMappingException.class,
                () -> ReportJson.fromJson(negative, RunReport.class));
    }

    @Test
    void aServerSaysHowManyStrayDataConnectionsItRefused() {
        RunReport server = report(Options.defaults(), 3, 0);
        assertTrue(server.role() == Role.SERVER);
        assertTrue(NeperOutput.endLines(server).contains("refused_data_connections=3"));
        List<String> client = NeperOutput.endLines(report(Options.defaults().with(OptionSpec.CLIENT, true), 0, 0));
        assertFalse(client.stream().anyMatch(l -> l.startsWith("refused_data_connections=")), "a client accepts nothing");
    }
}
