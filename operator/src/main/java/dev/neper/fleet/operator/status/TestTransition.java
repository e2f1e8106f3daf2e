package dev.neper.fleet.operator.status;

import dev.neper.fleet.operator.api.NeperTestStatus;
import dev.neper.fleet.operator.api.PairPhase;
import dev.neper.fleet.operator.api.PairStatus;
import dev.neper.fleet.operator.api.Reason;
import dev.neper.fleet.operator.api.TestConditions;
import dev.neper.fleet.operator.events.Notice;
import dev.neper.fleet.operator.record.Conditions;
import dev.neper.fleet.operator.record.Transition;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a change of a NeperTest's status means, found once by comparing the status last written with
 * the new one: whether the phase changed (written at once), whether the test or a pair newly ended
 * (their pods are handled once that is written), whether a restarted run dropped its results, and the
 * Events it deserves: the test's phase or reason changing, a pair failing, the test starting to wait
 * for another, an edit after the end.
 */
public record TestTransition(boolean phaseChanged, boolean ended, boolean pairFailed, boolean runReset,
                             List<Notice> events) implements Transition {

    /** The change from {@code before} (null: never written) to {@code after}. */
    public static TestTransition between(NeperTestStatus before, NeperTestStatus after) {
        List<Notice> events = new ArrayList<>();
        boolean waitingBefore = before != null && Conditions.isTrue(before.conditions(), TestConditions.WAITING_FOR_NODES);
        boolean waitingAfter = Conditions.isTrue(after.conditions(), TestConditions.WAITING_FOR_NODES);
        if (waitingAfter && (!waitingBefore || !Objects.equals(before.waitingFor(), after.waitingFor()))) {
            events.add(new Notice(Reason.WaitingForNodes, after.message()));
        }
        List<PairStatus> old = before == null ? List.of() : before.pairList();
        List<PairStatus> now = after.pairList();
        boolean pairFailed = false;
        for (int i = 0; i < now.size(); i++) {
            PairStatus pair = now.get(i);
            boolean failedBefore = i < old.size() && old.get(i).phase() == PairPhase.Failed;
            if (pair.phase() == PairPhase.Failed && !failedBefore) {
                pairFailed = true;
                events.add(new Notice(Reason.parse(pair.reason(), Reason.RunnerFailed), pair.message()));
            }
        }
        boolean phaseChanged = before == null || before.phase() != after.phase();
        boolean reasonChanged = before == null || !Objects.equals(before.reason(), after.reason());
        if ((phaseChanged || reasonChanged) && !Reason.WaitingForNodes.name().equals(after.reason())) {
            events.add(new Notice(Reason.parse(after.reason(), Reason.Accepted), after.message()));
        }
        boolean specChangedBefore = before != null && Conditions.isTrue(before.conditions(), TestConditions.SPEC_CHANGED);
        if (!specChangedBefore && Conditions.isTrue(after.conditions(), TestConditions.SPEC_CHANGED)
                && !Reason.RunRestarted.name().equals(after.reason())) {
            events.add(new Notice(Reason.SpecChangeIgnored,
                    Conditions.find(after.conditions(), TestConditions.SPEC_CHANGED).getMessage()));
        }
        boolean ended = isTerminal(after) && (before == null || !isTerminal(before));
        boolean runReset = Reason.RunRestarted.name().equals(after.reason())
                && (before == null || !Reason.RunRestarted.name().equals(before.reason()));
        return new TestTransition(phaseChanged, ended, pairFailed, runReset, List.copyOf(events));
    }

    @Override
    public boolean urgent() {
        return phaseChanged;
    }

    @Override
    public boolean followUp() {
        return ended || pairFailed;
    }

    private static boolean isTerminal(NeperTestStatus status) {
        return status.phase() != null && status.phase().isTerminal();
    }
}
