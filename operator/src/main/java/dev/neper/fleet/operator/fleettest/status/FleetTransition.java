package dev.neper.fleet.operator.fleettest.status;

import dev.neper.fleet.operator.api.FleetConditions;
import dev.neper.fleet.operator.api.FleetProgress;
import dev.neper.fleet.operator.api.FleetSummary;
import dev.neper.fleet.operator.api.NeperFleetTestStatus;
import dev.neper.fleet.operator.api.NodeEntry;
import dev.neper.fleet.operator.api.PathEntry;
import dev.neper.fleet.operator.api.Reason;
import dev.neper.fleet.operator.events.Notice;
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
