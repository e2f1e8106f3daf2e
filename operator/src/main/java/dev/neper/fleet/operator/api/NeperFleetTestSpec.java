package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * What a fleet run tests and how: the nodes and devices, a NeperTest's settings as the template of
 * every wave's child test, round 1's pairing, and the judging and attribution thresholds. Addresses
 * are never written: discovery finds them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.template.thresholds)",
        message = "a fleet run judges throughput itself: set judging.minLinkGbps, not template.thresholds")
public record NeperFleetTestSpec(
        @Required
        @JsonPropertyDescription("Which nodes to test.")
        FleetNodes nodes,

        @Required
        @JsonPropertyDescription("Which devices to test on every node; each name is a rail.")
        FleetDevices devices,

        @Required
        @JsonPropertyDescription("The settings of every child NeperTest (a NeperTest's spec without pairs, which the run"
                + " plans, and without thresholds, which judging sets): mode, duration, flows, threads, bufferSize,"
                + " validate, the devmem settings, ports, runner, pods, deadlines. The start deadline also bounds"
                + " discovery.")
        NeperTestSpec template,

        @JsonPropertyDescription("How round 1 pairs the nodes.")
        FleetPairing pairing,

        @JsonPropertyDescription("When a link fails.")
        FleetJudging judging,

        @JsonPropertyDescription("What names a node, device, path or rail.")
        FleetAttribution attribution,

        @Default("0") @Min(0) @Max(100_000)
        @JsonPropertyDescription("At most this many pairs test at once (a round splits into waves); 0: no limit. Each"
                + " wave's pairs go into child NeperTests of at most " + MAX_PAIRS_PER_TEST + " pairs, which run together.")
        Integer maxPairsAtOnce,

        @JsonPropertyDescription("Run again on a cron schedule (absent: the fleet test runs once, and again on the"
                + " annotation neper.dev/run-now).")
        FleetSchedule schedule,

        @JsonPropertyDescription("Runs kept and the regression check against them.")
        FleetHistory history,

        @JsonPropertyDescription("Marking the judged nodes with labels, a condition and a taint (a dry run unless"
                + " dryRun is false).")
        FleetMarking marking) {

    /** Pairs per child NeperTest: children of a wave start in parallel, and each stays well under the object size limit. */
    public static final int MAX_PAIRS_PER_TEST = 100;

    public FleetPairing pairingOrDefault() {
        return pairing == null ? FleetPairing.DEFAULT : pairing;
    }

    public FleetJudging judgingOrDefault() {
        return judging == null ? FleetJudging.DEFAULT : judging;
    }

    public FleetAttribution attributionOrDefault() {
        return attribution == null ? FleetAttribution.DEFAULT : attribution;
    }

    public FleetHistory historyOrDefault() {
        return history == null ? FleetHistory.DEFAULT : history;
    }

    public FleetMarking markingOrDefault() {
        return marking == null ? FleetMarking.DEFAULT : marking;
    }

    public int maxPairsAtOnceOrDefault() {
        return maxPairsAtOnce == null ? 0 : maxPairsAtOnce;
    }
}
