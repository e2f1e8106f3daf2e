package dev.neper.fleet.operator.run;

import dev.neper.fleet.operator.api.Link;
import dev.neper.fleet.operator.api.LinkResult;
import dev.neper.fleet.operator.api.LinkVerdict;
import dev.neper.fleet.operator.api.NeperTestSpec;
import dev.neper.fleet.operator.api.PairPhase;
import dev.neper.fleet.operator.api.ValidationResult;
import dev.neper.fleet.runner.contract.ErrorKind;
import dev.neper.fleet.runner.contract.LinkSummary;
import dev.neper.fleet.runner.contract.NodeSummary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A pair's per-link results from the two runners' summaries: the server's throughput and
 * validation counts, either side's error, the threshold. A link passes when both runners ended it
 * without error, the server measured a throughput at or above the threshold, and validation (when
 * on) found no mismatch.
 */
public final class LinkResults {
    private LinkResults() {
    }

    public static List<LinkResult> of(NeperTestSpec spec, List<Link> links, PairPhase phase, String pairMessage,
                                      NodeSummary server, NodeSummary client) {
        List<LinkResult> results = new ArrayList<>(links.size());
        for (Link link : links) {
            results.add(phase.isTerminal()
                    ? ended(spec, link.device(), phase, pairMessage, server, client)
                    : new LinkResult(link.device(), null, LinkVerdict.Pending, null, null, null, null));
        }
        return results;
    }

    private static LinkResult ended(NeperTestSpec spec, String device, PairPhase phase, String pairMessage,
                                    NodeSummary serverSummary, NodeSummary clientSummary) {
        LinkSummary server = find(serverSummary, device);
        LinkSummary client = find(clientSummary, device);
        List<String> errors = new ArrayList<>();
        if (server != null && !server.succeeded()) {
            errors.add("server " + ErrorLine.linkError(server));
        }
        if (client != null && !client.succeeded()) {
            // a device that is down is the cause of whatever its peer saw: it comes first
            errors.add(client.errorKind() == ErrorKind.LINK_DOWN && (server == null || server.errorKind() != ErrorKind.LINK_DOWN)
                    ? 0 : errors.size(), "client " + ErrorLine.linkError(client));
        }
        // a failed pair fails the links its runners did not report on; a link both runners reported
        // keeps its own verdict, so one broken link does not hide a good one
        if (errors.isEmpty() && phase == PairPhase.Failed && (server == null || client == null)) {
            errors.add(pairMessage == null ? "the pair failed" : pairMessage);
        }
        Double gbps = server == null ? null : server.throughputGbps();
        ValidationResult validation = validation(spec, server);
        if (errors.isEmpty()) {
            if (server == null || client == null) {
                errors.add("no result for " + device + " in the " + (server == null ? "server" : "client")
                        + " runner's summary");
            } else if (gbps == null) {
                errors.add("the server measured no throughput");
            } else {
                Double min = spec.thresholdsOrDefault().minLinkGbps();
                if (min != null && gbps < min) {
                    errors.add(String.format(Locale.ROOT, "%.2f Gbit/s is below the threshold of %.2f Gbit/s", gbps, min));
                }
            }
            if (validation == ValidationResult.Failed) {
                errors.add("validation found " + server.mismatches() + " mismatches");
            } else if (validation == ValidationResult.Unknown) {
                errors.add("validation was asked for but the server reported no validated bytes");
            }
        }
        if (!errors.isEmpty() && (truncated(serverSummary) || truncated(clientSummary))) {
            errors.add(0, "(shortened by the runner; its log has the whole text)");
        }
        LinkVerdict verdict = errors.isEmpty() ? LinkVerdict.Passed : LinkVerdict.Failed;
        String error = errors.isEmpty() ? null : ErrorLine.shorten(String.join("; ", errors));
        return new LinkResult(device, gbps == null ? null : round(gbps), verdict, validation,
                server == null ? null : server.validatedBytes(), server == null ? null : server.mismatches(), error);
    }

    private static ValidationResult validation(NeperTestSpec spec, LinkSummary server) {
        if (!spec.validatePayload()) {
            return ValidationResult.Off;
        }
        if (server == null || server.validatedBytes() == null) {
            return ValidationResult.Unknown;
        }
        if (server.mismatches() != null && server.mismatches() > 0) {
            return ValidationResult.Failed;
        }
        return server.validatedBytes() > 0 ? ValidationResult.Passed : ValidationResult.Unknown;
    }

    private static boolean truncated(NodeSummary summary) {
        return summary != null && summary.truncated();
    }

    private static LinkSummary find(NodeSummary summary, String device) {
        if (summary == null) {
            return null;
        }
        return summary.links().stream().filter(l -> device.equals(l.device())).findFirst().orElse(null);
    }

    /** Two decimals, as neper prints Mbit/s with two decimals; enough for a verdict and a table. */
    static double round(double gbps) {
        return Math.round(gbps * 100.0) / 100.0;
    }
}
