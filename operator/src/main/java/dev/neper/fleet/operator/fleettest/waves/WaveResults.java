package dev.neper.fleet.operator.fleettest.waves;

import dev.neper.fleet.operator.api.LinkResult;
import dev.neper.fleet.operator.api.LinkVerdict;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.PairStatus;
import dev.neper.fleet.operator.fleet.wave.LinkMeasurement;
import dev.neper.fleet.operator.fleet.wave.WaveResult;
import dev.neper.fleet.runner.contract.ErrorKind;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An ended wave's measurements, from its children's per-link results. Children run without a
 * throughput threshold, so a failed link is one that did not run cleanly: its kind is the runner's error
 * kind where the error names one, else the pair's reason (a pod that never started, a node gone). A
 * planned link a child has no result for is left out: the planner counts it as NoResult.
 */
public final class WaveResults {
    private static final Pattern ERROR_KIND = Pattern.compile("\\b(" + String.join("|",
            java.util.Arrays.stream(ErrorKind.values()).map(Enum::name).toList()) + ")\\b");

    private WaveResults() {
    }

    public static WaveResult of(int round, int wave, List<NeperTest> children) {
        List<LinkMeasurement> links = new ArrayList<>();
        for (NeperTest child : children) {
            if (child.getStatus() == null) {
                continue;
            }
            for (PairStatus pair : child.getStatus().pairList()) {
                if (pair.links() == null) {
                    continue;
                }
                for (LinkResult link : pair.links()) {
                    measurement(pair, link, child).ifPresent(links::add);
                }
            }
        }
        return new WaveResult(round, wave, links);
    }

    private static java.util.Optional<LinkMeasurement> measurement(PairStatus pair, LinkResult link, NeperTest child) {
        if (link.verdict() == LinkVerdict.Passed) {
            return java.util.Optional.of(new LinkMeasurement(pair.server(), pair.client(), link.device(), link.gbps(),
                    null, null));
        }
        if (link.verdict() != LinkVerdict.Failed) {
            return java.util.Optional.empty();
        }
        String error = link.error() != null ? link.error() : pair.message();
        return java.util.Optional.of(new LinkMeasurement(pair.server(), pair.client(), link.device(), link.gbps(),
                kind(error, pair.reason() != null ? pair.reason() : child.getStatus().reason()), error));
    }

    /**
     * The runner's error kind the text names (CONNECT_FAILED, LINK_DOWN...), else the fallback reason. A
     * down link or a validation mismatch wins over the others a text names, which often follow from it
     * (the server's PEER_LOST when the client's link went down).
     */
    static String kind(String error, String fallback) {
        String first = null;
        if (error != null) {
            Matcher m = ERROR_KIND.matcher(error);
            while (m.find()) {
                String kind = m.group(1);
                if (kind.equals(ErrorKind.LINK_DOWN.name()) || kind.equals(ErrorKind.VALIDATION.name())) {
                    return kind;
                }
                first = first == null ? kind : first;
            }
        }
        return first != null ? first : fallback != null ? fallback : "LinkFailed";
    }
}
