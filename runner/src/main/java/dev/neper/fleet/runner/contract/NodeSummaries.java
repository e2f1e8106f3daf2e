package dev.neper.fleet.runner.contract;


import java.nio.charset.StandardCharsets;
import java.util.List;

/** Condenses a {@link NodeReport} into the {@link NodeSummary} a termination message can hold. */
public final class NodeSummaries {
    /** Error texts are cut to these lengths, in turn, until the summary fits. */
    private static final int[] ERROR_LIMITS = {400, 160, 60, 0};

    private NodeSummaries() {
    }

    public static NodeSummary of(NodeReport node) {
        List<LinkSummary> links = node.links().stream().map(NodeSummaries::link).toList();
        return fit(new NodeSummary(NodeSummary.SCHEMA_VERSION, node.role().name(), node.succeeded(), links, null, false));
    }

    /** A process that failed before any link ran, e.g. on a refused command line. */
    public static NodeSummary failed(Role role, String error) {
        return fit(new NodeSummary(NodeSummary.SCHEMA_VERSION, role.name(), false, List.of(), error, false));
    }

    static LinkSummary link(LinkReport link) {
        RunReport r = link.report();
        ReceiverReport receiver = r.receiver();
        Double gbps = receiver == null || receiver.throughputUnits() == null ? null : receiver.bytesPerSecond() * 8 / 1e9;
        RunError first = r.errors().isEmpty() ? null : r.errors().getFirst();
        ValidationReport v = r.validation();
        return new LinkSummary(link.link().device(), r.succeeded(), gbps, r.bytesReceived(), r.bytesSent(),
                v == null ? null : v.validatedBytes(), v == null ? null : v.mismatches(),
                first == null ? null : first.kind(), first == null ? null : first.message());
    }

    /** Shortens error texts, in steps, until the JSON fits {@link NodeSummary#MAX_BYTES}. */
    static NodeSummary fit(NodeSummary summary) {
        NodeSummary candidate = summary;
        for (int limit : ERROR_LIMITS) {
            if (bytes(candidate) <= NodeSummary.MAX_BYTES) {
                return candidate;
            }
            candidate = shorten(summary, limit);
        }
        if (bytes(candidate) > NodeSummary.MAX_BYTES) {
            throw new IllegalStateException("a summary of " + summary.links().size() + " links does not fit "
                    + NodeSummary.MAX_BYTES + " bytes even without error texts");
        }
        return candidate;
    }

    private static NodeSummary shorten(NodeSummary s, int limit) {
        List<LinkSummary> links = s.links().stream().map(l -> new LinkSummary(l.device(), l.succeeded(),
                l.throughputGbps(), l.bytesReceived(), l.bytesSent(), l.validatedBytes(), l.mismatches(), l.errorKind(),
                cut(l.error(), limit))).toList();
        return new NodeSummary(s.schemaVersion(), s.role(), s.succeeded(), links, cut(s.error(), limit), true);
    }

    private static String cut(String text, int limit) {
        if (text == null || text.length() <= limit) {
            return text;
        }
        return limit == 0 ? null : text.substring(0, limit - 1) + "…";
    }

    static int bytes(NodeSummary summary) {
        return ReportJson.toCompactJson(summary).getBytes(StandardCharsets.UTF_8).length;
    }
}
