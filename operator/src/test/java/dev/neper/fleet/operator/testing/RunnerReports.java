package dev.neper.fleet.operator.testing;

import dev.neper.fleet.runner.contract.LinkSummary;
import dev.neper.fleet.runner.contract.NodeSummary;
import dev.neper.fleet.runner.contract.ErrorKind;
import dev.neper.fleet.runner.contract.Role;

import java.util.List;

/** Node summaries as a runner writes them, for the tests' kubelet to put in termination messages. */
public final class RunnerReports {
    private static final long BYTES_PER_GBIT_10S = 1_250_000_000L;

    private RunnerReports() {
    }

    /** A server that received on every link at the given rates (Gbit/s), with validation counts when {@code validated}. */
    public static NodeSummary server(List<String> devices, List<Double> gbps, boolean validated) {
        List<LinkSummary> links = new java.util.ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            long bytes = (long) (gbps.get(i) * BYTES_PER_GBIT_10S);
            links.add(new LinkSummary(devices.get(i), true, gbps.get(i), bytes, 0, validated ? bytes : null,
                    validated ? 0L : null, null, null));
        }
        return new NodeSummary(NodeSummary.SCHEMA_VERSION, Role.SERVER.name(), true, links, null, false);
    }

    /** A client that sent on every link without error. */
    public static NodeSummary client(List<String> devices) {
        List<LinkSummary> links = devices.stream()
                .map(d -> new LinkSummary(d, true, null, 0, 10 * BYTES_PER_GBIT_10S, null, null, null, null)).toList();
        return new NodeSummary(NodeSummary.SCHEMA_VERSION, Role.CLIENT.name(), true, links, null, false);
    }

    /** A summary where one link failed with the given error and the others succeeded. */
    public static NodeSummary withLinkError(NodeSummary summary, String device, ErrorKind kind, String error) {
        List<LinkSummary> links = summary.links().stream().map(l -> l.device().equals(device)
                ? new LinkSummary(l.device(), false, null, l.bytesReceived(), l.bytesSent(), l.validatedBytes(),
                        l.mismatches(), kind, error)
                : l).toList();
        return new NodeSummary(summary.schemaVersion(), summary.role(), false, links, null, summary.truncated());
    }

    /** A server summary where one link's validation found mismatches. */
    public static NodeSummary withMismatches(NodeSummary summary, String device, long mismatches) {
        List<LinkSummary> links = summary.links().stream().map(l -> l.device().equals(device)
                ? new LinkSummary(l.device(), false, l.throughputGbps(), l.bytesReceived(), l.bytesSent(),
                        l.validatedBytes(), mismatches, ErrorKind.VALIDATION, mismatches + " bytes did not match the pattern")
                : l).toList();
        return new NodeSummary(summary.schemaVersion(), summary.role(), false, links, null, summary.truncated());
    }
}
