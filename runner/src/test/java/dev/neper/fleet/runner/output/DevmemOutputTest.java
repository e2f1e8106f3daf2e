package dev.neper.fleet.runner.output;

import dev.neper.fleet.runner.contract.DevmemReport;
import dev.neper.fleet.runner.contract.ErrorKind;
import dev.neper.fleet.runner.contract.FlowRuleReport;
import dev.neper.fleet.runner.contract.Options;
import dev.neper.fleet.runner.contract.ReportJson;
import dev.neper.fleet.runner.contract.RunError;
import dev.neper.fleet.runner.contract.RunReport;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The devmem counters after neper's keys: the control-buffer truncations and which flow-rule form each flow got. */
class DevmemOutputTest {
    private static RunReport report(DevmemReport devmem) {
        RunReport failed = RunReport.setupFailed(Options.defaults(), "test", new RunError(ErrorKind.INTERNAL, "x"));
        return new RunReport(failed.schemaVersion(), "test", failed.role(), true, failed.options(), null, 0, 0, 0, null,
                0, 0, failed.usage(), List.of(), List.of(), null, devmem, null);
    }

    @Test
    void aReceiverSaysWhichRuleFormItsFlowsGot() throws Exception {
        DevmemReport devmem = new DevmemReport("udmabuf 64 MiB", "eth1", 1, null, 10, 0, 1, 1, 0, 0, 0, 3, List.of(
                new FlowRuleReport("flow-type tcp4 dst-ip 198.18.40.1 dst-port 12867 queue 8", "dst-ip+dst-port", 0,
                        "flow-type tcp4 src-ip 198.18.40.2 dst-ip 198.18.40.1 src-port 30000 dst-port 12867 queue 8"),
                new FlowRuleReport("flow-type tcp4 dst-ip 198.18.40.1 dst-port 12868 queue 9", "dst-ip+dst-port", 1,
                        null)));
        List<String> lines = NeperOutput.devmemLines(report(devmem));
        assertEquals(List.of("devmem_bytes=10", "devmem_linear_bytes=0", "devmem_fragments=1",
                "devmem_fragments_returned=1", "devmem_zerocopy_sends=0", "devmem_completed_sends=0",
                "devmem_copied_sends=0", "devmem_control_truncations=3", "devmem_flow_rules=2",
                "devmem_flow_rule_match=dst-ip+dst-port"), lines);
        String json = ReportJson.toJson(devmem);
        assertTrue(json.contains("\"controlTruncations\" : 3"), json);
        assertTrue(json.contains("\"match\" : \"dst-ip+dst-port\""), json);
        assertEquals(devmem, ReportJson.fromJson(json, DevmemReport.class));
    }

    @Test
    void aSenderHasNoRuleLines() {
        DevmemReport devmem = new DevmemReport("cuda", "eth1", null, 2, 0, 0, 0, 0, 5, 5, 0, 0, List.of());
        assertTrue(NeperOutput.devmemLines(report(devmem)).stream().noneMatch(l -> l.startsWith("devmem_flow_rule")));
    }
}
