package dev.neper.fleet.operator.fleettest.status;

import dev.neper.fleet.operator.api.ConditionedStatus;
import dev.neper.fleet.operator.api.FleetConditions;
import dev.neper.fleet.operator.api.FleetDiscovery;
import dev.neper.fleet.operator.api.FleetHistory;
import dev.neper.fleet.operator.api.FleetHistoryEntry;
import dev.neper.fleet.operator.api.FleetMarkingStatus;
import dev.neper.fleet.operator.api.FleetSchedule;
import dev.neper.fleet.operator.api.FleetPhase;
import dev.neper.fleet.operator.api.FleetProgress;
import dev.neper.fleet.operator.api.FleetSummary;
import dev.neper.fleet.operator.api.NeperFleetTest;
import dev.neper.fleet.operator.api.NeperFleetTestStatus;
import dev.neper.fleet.operator.api.NodeEntry;
import dev.neper.fleet.operator.api.PathEntry;
import dev.neper.fleet.operator.api.Reason;
import dev.neper.fleet.operator.record.Conditions;
import io.fabric8.kubernetes.api.model.Condition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a fleet run's whole status for each situation it can be in; each sets what is its own, and
 * {@link #complete} fills every condition left unset from the phase, reason and message and stamps each
 * with the generation it was decided for. The one place that knows what a fleet run's status says.
 */
public final class FleetStatusAggregator {
    static final int MAX_MESSAGE = 1024;
    /** The node verdicts that name a fault (the others convict nothing). */
    public static final Set<String> FAULT_VERDICTS = Set.of("NodeFault", "LinkFault");

    private FleetStatusAggregator() {
    }

    public static NeperFleetTestStatus invalid(NeperFleetTest fleet, NeperFleetTestStatus previous, List<String> problems,
                                               Instant now) {
        String message = shorten(String.join("; ", problems));
        return complete(previous, now, endedWithout(fleet, previous, Reason.InvalidSpec, now).phase(FleetPhase.Failed).reason(Reason.InvalidSpec)
                .message(message).completionTime(completion(previous, FleetPhase.Failed, now))
                .observedGeneration(generation(fleet))
                .condition(FleetConditions.INVALID_SPEC, true, Reason.InvalidSpec, message));
    }

    public static NeperFleetTestStatus waiting(NeperFleetTest fleet, NeperFleetTestStatus previous, String blocker,
                                               String message, Instant now) {
        return complete(previous, now, kept(previous).phase(FleetPhase.Pending)
                .reason(Reason.WaitingForNodes).message(message).observedGeneration(generation(fleet)).waitingFor(blocker)
                .condition(FleetConditions.WAITING_FOR_NODES, true, Reason.WaitingForNodes, message));
    }

    /** A run abandoned because its spec changed: Pending again until its children and pods are gone. */
    public static NeperFleetTestStatus restarting(NeperFleetTest fleet, NeperFleetTestStatus previous, String message,
                                                  Instant now) {
        return complete(previous, now, kept(previous).phase(FleetPhase.Pending)
                .reason(Reason.RunRestarted).message(message).observedGeneration(generation(fleet))
                .condition(FleetConditions.SPEC_CHANGED, true, Reason.RunRestarted, message));
    }

    /**
     * A scheduled fleet test between runs that has not run yet: Pending until its first time comes.
     * @param next the next scheduled time, or null when suspended
     */
    public static NeperFleetTestStatus scheduled(NeperFleetTest fleet, NeperFleetTestStatus previous, Instant next,
                                                 Instant now) {
        String message = next == null ? "the schedule is suspended (spec.schedule.suspend); the annotation "
                + FleetSchedule.RUN_NOW + " starts a run at once"
                : "the first run starts at " + next + " (spec.schedule.cron \"" + fleet.getSpec().schedule().cron()
                + "\" in " + fleet.getSpec().schedule().timeZoneOrDefault() + ")";
        return complete(previous, now, kept(previous).phase(FleetPhase.Pending).reason(Reason.Scheduled).message(message)
                .observedGeneration(generation(fleet)));
    }

    /** A run that starts: its id and seed are chosen and written before anything is made for it. */
    public static NeperFleetTestStatus discovering(NeperFleetTest fleet, NeperFleetTestStatus previous, String runId,
                                                   long seed, Instant startTime, FleetDiscovery discovery, Instant now) {
        return complete(previous, now, kept(previous).phase(FleetPhase.Discovering)
                .reason(Reason.Discovering).message(discoveryMessage(discovery)).runId(runId).seed(seed)
                .startTime(startTime.toString()).observedGeneration(generation(fleet)).discovery(discovery));
    }

    /** Discovery going on: the same run, new counts. */
    public static NeperFleetTestStatus discovering(NeperFleetTest fleet, NeperFleetTestStatus previous,
                                                   FleetDiscovery discovery, Instant now) {
        return complete(previous, now, carried(previous).phase(FleetPhase.Discovering).reason(Reason.Discovering)
                .message(discoveryMessage(discovery)).observedGeneration(generation(fleet)).discovery(discovery));
    }

    public static NeperFleetTestStatus running(NeperFleetTest fleet, NeperFleetTestStatus previous, FleetDiscovery discovery,
                                               FleetProgress progress, String message, Instant now) {
        return complete(previous, now, carried(previous).phase(FleetPhase.Running)
                .reason(progress == null ? Reason.Started : Reason.WaveStarted).message(shorten(message))
                .observedGeneration(generation(fleet)).discovery(discovery).progress(progress));
    }

    public static NeperFleetTestStatus completed(NeperFleetTest fleet, NeperFleetTestStatus previous, FleetSummary summary,
                                                 FleetProgress progress, FleetMarkingStatus marking, Instant now) {
        int faults = faults(summary);
        int healthy = summary.counts().getOrDefault("Healthy", 0);
        int unqualified = summary.counts().getOrDefault("Unqualified", 0);
        int inconclusive = summary.counts().getOrDefault("Inconclusive", 0);
        String counted = healthy + " of " + summary.nodes() + " nodes healthy";
        String message;
        Reason reason;
        Boolean isHealthy;
        if (faults > 0 || unqualified > 0) {
            List<String> named = faultList(summary);
            if (unqualified > 0) {
                named.add(unqualified + " unqualified node" + (unqualified == 1 ? "" : "s"));
            }
            message = (faults > 0 ? faults + " fault" + (faults == 1 ? "" : "s") + " found" : "no fault found by traffic")
                    + " (" + counted + "): " + String.join("; ", named);
            reason = Reason.FaultsFound;
            isHealthy = false;
        } else if (inconclusive > 0) {
            message = "no fault found, but " + inconclusive + " node" + (inconclusive == 1 ? "" : "s")
                    + " inconclusive: too few nodes passed round 1 to test the suspects against (" + counted + ")";
            reason = Reason.Inconclusive;
            isHealthy = null;
        } else {
            message = "no fault found: " + counted + notTested(summary);
            reason = Reason.Completed;
            isHealthy = true;
        }
        message = shorten(message);
        return complete(previous, now, carried(previous).phase(FleetPhase.Completed).reason(reason).message(message)
                .completionTime(completion(previous, FleetPhase.Completed, now)).observedGeneration(generation(fleet))
                .healthy(healthy + "/" + summary.nodes()).faults(faults).progress(progress).summary(summary)
                .history(ended(fleet, previous, reason, summary.counts(), faultyNodes(summary), now))
                .lastResult(reason.name()).marking(marking)
                .condition(FleetConditions.COMPLETE, true, Reason.Completed, message)
                .condition(FleetConditions.HEALTHY, isHealthy, reason, message));
    }

    /** The run cannot reach verdicts; what it found so far stays. */
    public static NeperFleetTestStatus failed(NeperFleetTest fleet, NeperFleetTestStatus previous, Reason reason,
                                              String message, Instant now) {
        return complete(previous, now, endedWithout(fleet, previous, reason, now).phase(FleetPhase.Failed).reason(reason)
                .message(shorten(message)).completionTime(completion(previous, FleetPhase.Failed, now))
                .observedGeneration(generation(fleet)));
    }

    /** The nodes a run convicted: a NodeFault or LinkFault. */
    public static List<String> faultyNodes(FleetSummary summary) {
        return summary.faulty().stream().filter(n -> FAULT_VERDICTS.contains(n.verdict())).map(NodeEntry::node).toList();
    }

    /** The history with the run that just ended last, trimmed to the kept runs; as it was when no run was going. */
    private static List<FleetHistoryEntry> ended(NeperFleetTest fleet, NeperFleetTestStatus previous, Reason result,
                                                 Map<String, Integer> counts, List<String> faulty, Instant now) {
        List<FleetHistoryEntry> history = new ArrayList<>(previous == null ? List.of() : previous.historyList());
        if (previous == null || previous.phase() == null || !previous.phase().isActive() || previous.runId() == null) {
            return history;
        }
        history.removeIf(h -> h.runId().equals(previous.runId()));
        history.add(new FleetHistoryEntry(previous.runId(), previous.startTime(), now.toString(), result.name(),
                counts, faulty));
        int keep = fleet.getSpec() == null ? FleetHistory.DEFAULT.runsOrDefault()
                : fleet.getSpec().historyOrDefault().runsOrDefault();
        return List.copyOf(history.subList(Math.max(0, history.size() - keep), history.size()));
    }

    /** A run that ends without verdicts (a refused spec, a lost record): recorded in the history all the same. */
    private static NeperFleetTestStatus.Builder endedWithout(NeperFleetTest fleet, NeperFleetTestStatus previous,
                                                             Reason reason, Instant now) {
        NeperFleetTestStatus.Builder builder = carried(previous);
        if (previous != null && previous.phase() != null && previous.phase().isActive()) {
            builder.history(ended(fleet, previous, reason, Map.of(), List.of(), now)).lastResult(reason.name());
        }
        return builder;
    }

    /** An ended run whose spec was edited afterwards: the results stay, a condition says the edit was not run. */
    public static NeperFleetTestStatus specChangedAfterEnd(NeperFleetTest fleet, NeperFleetTestStatus previous,
                                                           Instant now) {
        long generation = generation(fleet);
        String message = "the spec changed to generation " + generation + " after the run of generation "
                + previous.observedGeneration() + " ended; a NeperFleetTest runs once: create a new one to run again";
        return complete(previous, now, previous.toBuilder()
                .condition(FleetConditions.SPEC_CHANGED, true, Reason.SpecChangeIgnored, message, generation));
    }

    /** Faults named: nodes with a NodeFault or LinkFault, paths, rail faults. */
    public static int faults(FleetSummary summary) {
        int nodes = (int) summary.faulty().stream().filter(n -> FAULT_VERDICTS.contains(n.verdict())).count();
        return nodes + summary.paths() + summary.railFaults();
    }

    /** "local-node-3 NodeFault (eth1, eth2)", "path local-node-4/local-node-5 eth1", "rail eth2: ..." */
    static List<String> faultList(FleetSummary summary) {
        List<String> faults = new ArrayList<>();
        for (NodeEntry node : summary.faulty()) {
            if (FAULT_VERDICTS.contains(node.verdict())) {
                faults.add(node.node() + " " + node.verdict() + " (" + String.join(", ", node.devices()) + ")");
            }
        }
        for (PathEntry path : summary.pathFaults()) {
            if ("Path".equals(path.verdict())) {
                faults.add("path " + String.join("/", path.nodes()) + " " + path.device());
            }
        }
        summary.rails().forEach(rail -> rail.faults().forEach(f -> faults.add("rail " + rail.rail() + " " + f)));
        return faults;
    }

    private static String notTested(FleetSummary summary) {
        int untested = summary.nodes() - summary.counts().getOrDefault("Healthy", 0);
        return untested == 0 ? "" : " (" + untested + " not judged healthy: "
                + String.join(", ", summary.counts().entrySet().stream().filter(e -> !e.getKey().equals("Healthy"))
                        .map(e -> e.getValue() + " " + e.getKey()).toList()) + ")";
    }

    private static String discoveryMessage(FleetDiscovery d) {
        return "discovering: " + d.pods() + " discovery pods for " + d.selected() + " selected nodes, " + d.ended()
                + " reported";
    }

    /** What outlives a run, carried over from the status last written: the history, marking, schedule. */
    private static NeperFleetTestStatus.Builder kept(NeperFleetTestStatus previous) {
        NeperFleetTestStatus.Builder builder = NeperFleetTestStatus.builder();
        if (previous != null) {
            builder.history(previous.history()).marking(previous.marking()).schedule(previous.schedule())
                    .lastResult(previous.lastResult()).nextRunTime(previous.nextRunTime());
        }
        return builder;
    }

    /** The run's identity and times carried over from the status last written, with what outlives it. */
    private static NeperFleetTestStatus.Builder carried(NeperFleetTestStatus previous) {
        NeperFleetTestStatus.Builder builder = kept(previous);
        if (previous != null) {
            builder.runId(previous.runId()).seed(previous.seed()).startTime(previous.startTime())
                    .discovery(previous.discovery()).progress(previous.progress());
        }
        return builder;
    }

    private static String completion(NeperFleetTestStatus previous, FleetPhase phase, Instant now) {
        return previous != null && previous.phase() == phase && previous.completionTime() != null
                ? previous.completionTime() : now.toString();
    }

    /**
     * The one condition chain: every condition the draft sets stays as set; every other one is filled from
     * the draft's phase, reason and message (Complete from whether it ended, Healthy Unknown until verdicts
     * are in, the others False), SpecChanged carried over once it was set; then each is stamped.
     */
    static NeperFleetTestStatus complete(NeperFleetTestStatus previous, Instant now, NeperFleetTestStatus.Builder builder) {
        NeperFleetTestStatus draft = builder.build();
        List<Condition> before = previous == null ? List.of() : previous.conditionList();
        long generation = draft.observedGeneration() == null ? 0 : draft.observedGeneration();
        return draft.withConditions(Conditions.fill(List.of(FleetConditions.COMPLETE, FleetConditions.HEALTHY,
                FleetConditions.WAITING_FOR_NODES, FleetConditions.INVALID_SPEC, FleetConditions.SPEC_CHANGED,
                FleetConditions.MARKING_BUDGET_EXCEEDED),
                draft.conditionList(), before, generation, now, type -> filled(type, draft, before)));
    }

    private static Condition filled(String type, NeperFleetTestStatus draft, List<Condition> before) {
        boolean ended = draft.phase().isTerminal();
        Reason reason = Reason.parse(draft.reason(), Reason.Accepted);
        return switch (type) {
            case FleetConditions.COMPLETE -> decided(type, ended, reason, ended ? draft.message()
                    : draft.phase() == FleetPhase.Pending ? "the run has not started" : "the run is " + draft.phase());
            case FleetConditions.HEALTHY -> decided(type, null, reason, ended
                    ? "the run ended without verdicts" : "no verdicts yet");
            case FleetConditions.INVALID_SPEC -> decided(type, false, Reason.Accepted, "");
            case FleetConditions.SPEC_CHANGED -> Conditions.find(before, type);
            case FleetConditions.MARKING_BUDGET_EXCEEDED -> draft.marking() == null ? null : draft.marking().budgetTripped()
                    ? decided(type, true, Reason.MarkingBudgetExceeded, draft.marking().budgetReason())
                    : decided(type, false, Reason.Accepted, "marking within its budget");
            default -> decided(type, false, reason, "");
        };
    }

    private static Condition decided(String type, Boolean status, Reason reason, String message) {
        return ConditionedStatus.decided(type, status, reason, message, null);
    }

    private static long generation(NeperFleetTest fleet) {
        Long generation = fleet.getMetadata().getGeneration();
        return generation == null ? 0 : generation;
    }

    static String shorten(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE - 1) + "…";
    }
}
