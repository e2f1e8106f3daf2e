package dev.neper.fleet.runner.contract;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("unit")
class NodeSummariesTest {
    private static NodeSummary summary(int links, String error) {
        List<LinkSummary> all = new ArrayList<>();
        for (int i = 1; i <= links; i++) {
            all.add(new LinkSummary("eth" + i, false, 193.55, 1L << 40, 0, 1L << 40, 0L, ErrorKind.DATA_CONNECTION, error));
        }
        return new NodeSummary(NodeSummary.SCHEMA_VERSION, "SERVER", false, all, null, false);
    }

    @Test
    void aSmallSummaryIsKeptWhole() {
        NodeSummary small = summary(8, "flow 0/1 closed by the peer");
        assertEquals(small, NodeSummaries.fit(small));
        assertFalse(NodeSummaries.fit(small).truncated());
    }

    @Test
    void eightLinksWithLongErrorsAreShortenedToFitTheKubeletsLimit() throws Exception {
        NodeSummary big = summary(8, "x".repeat(3000));
        NodeSummary fitted = NodeSummaries.fit(big);
        assertTrue(NodeSummaries.bytes(fitted) <= NodeSummary.MAX_BYTES, "fits 4096 bytes");
        assertTrue(fitted.truncated());
        assertTrue(fitted.links().getFirst().error().length() > 50, "errors shortened, not dropped, when that suffices");
        assertEquals(big.links().getFirst().throughputGbps(), fitted.links().getFirst().throughputGbps());
        assertEquals(fitted, ReportJson.fromJson(ReportJson.toCompactJson(fitted), NodeSummary.class));
    }

    @Test
    void aRefusedCommandLineStillYieldsASummary() {
        NodeSummary failed = NodeSummaries.failed(Role.CLIENT, "links needs at least one --link");
        assertFalse(failed.succeeded());
        assertEquals("links needs at least one --link", failed.error());
        assertTrue(failed.links().isEmpty());
    }
}
