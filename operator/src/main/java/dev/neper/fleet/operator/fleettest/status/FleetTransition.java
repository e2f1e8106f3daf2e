package dev.neper.fleet.operator.fleettest.status;

import dev.neper.fleet.operator.api.FleetConditions;
import dev.neper.fleet.operator.api.FleetMarking;
import dev.neper.fleet.operator.api.FleetMarkingStatus;
import dev.neper.fleet.operator.api.MarkingAction;
import dev.neper.fleet.operator.api.FleetProgress;
import dev.neper.fleet.operator.api.FleetSummary;
import dev.neper.fleet.operator.api.NeperFleetTestStatus;
import dev.neper.fleet.operator.api.NodeEntry;
import dev.neper.fleet.operator.api.PathEntry;
import dev.neper.fleet.operator.api.Reason;
import dev.neper.fleet.operator.events.Notice;
import dev.neper.fleet.operator.fleettest.marking.NodeMarks;
import dev.neper.fleet.operator.record.Conditions;
import dev.neper.fleet.operator.record.Transition;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a change of a fleet run's status means: whether the phase or the wave changed (written at once:
 * users follow them, the next step relies on them), and its Events: the run waiting, each phase, each
 * wave, and once the verdicts are in one Event per node, path and rail that is not healthy (the Skipped
 * aside), naming the node and its devices.
 */
public record FleetTransition(boolean phaseChanged, boolean waveChanged, boolean ended, List<Notice> events)
        implements Transition {

    public static FleetTransition between(NeperFleetTestStatus before, NeperFleetTestStatus after) {
        List<Notice> events = new ArrayList<>();
        boolean waitingBefore = before != null && Conditions.isTrue(before.conditions(), FleetConditions.WAITING_FOR_NODES);
        boolean waitingAfter = Conditions.isTrue(after.conditions(), FleetConditions.WAITING_FOR_NODES);
        if (waitingAfter && (!waitingBefore || !Objects.equals(before.waitingFor(), after.waitingFor()))) {
            events.add(new Notice(Reason.WaitingForNodes, after.message()));
        }
        boolean phaseChanged = before == null || before.phase() != after.phase();
        boolean reasonChanged = before == null || !Objects.equals(before.reason(), after.reason());
        boolean waveChanged = !sameWave(before == null ? null : before.progress(), after.progress());
        boolean announce = (phaseChanged || reasonChanged || waveChanged)
                && !Reason.WaitingForNodes.name().equals(after.reason());
        if (announce) {
            events.add(new Notice(Reason.parse(after.reason(), Reason.Accepted), after.message()));
        }
        if (after.summary() != null && (before == null || before.summary() == null)) {
            events.addAll(verdicts(after.summary()));
        }
        boolean specChangedBefore = before != null && Conditions.isTrue(before.conditions(), FleetConditions.SPEC_CHANGED);
        if (!specChangedBefore && Conditions.isTrue(after.conditions(), FleetConditions.SPEC_CHANGED)
                && !Reason.RunRestarted.name().equals(after.reason())) {
            events.add(new Notice(Reason.SpecChangeIgnored,
                    Conditions.find(after.conditions(), FleetConditions.SPEC_CHANGED).getMessage()));
        }
        events.addAll(schedule(before, after));
        events.addAll(marking(before, after));
        boolean ended = after.phase() != null && after.phase().isTerminal()
                && (before == null || before.phase() == null || !before.phase().isTerminal());
        return new FleetTransition(phaseChanged, waveChanged, ended, List.copyOf(events));
    }

    /** One Event per verdict that is not Healthy or Skipped: the node (or pair, or rail), its devices, the rule. */
    static List<Notice> verdicts(FleetSummary summary) {
        List<Notice> events = new ArrayList<>();
        for (NodeEntry node : summary.faulty()) {
            Reason reason = Reason.parse(node.verdict(), null);
            if (reason == null || node.verdict().equals("Skipped")) {
                continue;
            }
            String devices = node.devices().isEmpty() ? "" : " " + String.join(", ", node.devices());
            events.add(new Notice(reason, "node " + node.node() + devices + ": " + node.verdict() + ": " + node.reason()
                    + (node.evidence().isEmpty() ? "" : "; evidence: " + String.join("; ", node.evidence()))));
        }
        for (PathEntry path : summary.pathFaults()) {
            Reason reason = "Path".equals(path.verdict()) ? Reason.PathFault : Reason.parse(path.verdict(), Reason.Flaky);
            events.add(new Notice(reason, "path " + String.join(" <-> ", path.nodes()) + " " + path.device() + ": "
                    + path.verdict() + ": " + path.reason() + "; evidence: " + String.join("; ", path.evidence())));
        }
        summary.rails().forEach(rail -> rail.faults().forEach(fault ->
                events.add(new Notice(Reason.RailFault, "rail " + rail.rail() + ": " + fault))));
        return events;
    }

    /** A scheduled time skipped past its starting deadline. */
    static List<Notice> schedule(NeperFleetTestStatus before, NeperFleetTestStatus after) {
        String missed = after.scheduleOrNone().lastMissed();
        String missedBefore = before == null ? null : before.scheduleOrNone().lastMissed();
        if (missed == null || missed.equals(missedBefore)) {
            return List.of();
        }
        return List.of(new Notice(Reason.MissedSchedule, "the run scheduled at " + missed + " was skipped: it could not"
                + " start within spec.schedule.startingDeadlineSeconds (a run was going, or the operator was down)"));
    }

    /**
     * A run's marking, once decided: one Event per node marked faulty or cleared (or that would be, in a dry
     * run), one for the healthy marks in all, one when the budget stopped marking or was reset.
     */
    static List<Notice> marking(NeperFleetTestStatus before, NeperFleetTestStatus after) {
        FleetMarkingStatus marking = after.marking();
        FleetMarkingStatus previous = before == null ? null : before.marking();
        if (marking == null || previous != null && Objects.equals(previous.runId(), marking.runId())) {
            return List.of();
        }
        List<Notice> events = new ArrayList<>();
        if (marking.budgetResetHandled() != null && (previous == null
                || !marking.budgetResetHandled().equals(previous.budgetResetHandled()))) {
            events.add(new Notice(Reason.BudgetReset, "the marking budget was reset (" + FleetMarking.RESET_BUDGET + "="
                    + marking.budgetResetHandled() + "): faulty nodes are marked again"));
        }
        int healthy = 0;
        for (MarkingAction action : marking.actionList()) {
            boolean faulty = action.marks().stream().anyMatch(m -> m.endsWith("=faulty"));
            boolean clear = action.action().equals(MarkingAction.CLEAR) || action.action().equals(MarkingAction.WOULD_CLEAR);
            if (!faulty && !clear) {
                healthy++;
                continue;
            }
            Reason reason = marking.dryRun() ? Reason.WouldMarkNodes : clear ? Reason.MarksCleared : Reason.NodesMarked;
            events.add(new Notice(reason, "node " + action.node() + ": " + action.action() + " "
                    + String.join(", ", action.marks()) + (marking.dryRun() ? " (dry run: nothing written)" : "")));
        }
        if (healthy > 0) {
            events.add(new Notice(marking.dryRun() ? Reason.WouldMarkNodes : Reason.NodesMarked, healthy + " node"
                    + (healthy == 1 ? "" : "s") + (marking.dryRun() ? " would be marked" : " marked") + " healthy ("
                    + NodeMarks.HEALTH + "=healthy, condition " + NodeMarks.CONDITION + "=True)"
                    + (marking.dryRun() ? " (dry run: nothing written)" : "")));
        }
        if (marking.budgetTripped() && (previous == null || !previous.budgetTripped()
                || !Objects.equals(previous.budgetReason(), marking.budgetReason()))) {
            events.add(new Notice(Reason.MarkingBudgetExceeded, marking.budgetReason()));
        }
        return events;
    }

    private static boolean sameWave(FleetProgress a, FleetProgress b) {
        return a == null ? b == null : b != null && Objects.equals(a.round(), b.round()) && Objects.equals(a.wave(), b.wave());
    }

    @Override
    public boolean urgent() {
        return phaseChanged || waveChanged;
    }

    @Override
    public boolean followUp() {
        return phaseChanged;
    }
}
