package dev.neper.fleet.operator.api;

/**
 * Every reason the operator gives, in status reasons, condition reasons and Events: the status's
 * vocabulary, shared by every step that writes one. A Warning reason ends a pair or the test as failed
 * (ReconcileFailed: an attempt to carry out a reconcile failed); docs/operator.md explains each and what to do.
 */
public enum Reason {
    // progress (Normal events)
    Accepted(Type.Normal),
    WaitingForNodes(Type.Normal),
    Started(Type.Normal),
    ServersReady(Type.Normal),
    ClientsStarted(Type.Normal),
    Succeeded(Type.Normal),
    RunRestarted(Type.Normal),
    SpecChangeIgnored(Type.Normal),
    Recovered(Type.Normal),
    // a fleet run's progress and its non-convicting verdicts
    Discovering(Type.Normal),
    WaveStarted(Type.Normal),
    Completed(Type.Normal),
    Flaky(Type.Normal),
    Inconclusive(Type.Normal),
    // schedules, regressions and marking nodes
    Scheduled(Type.Normal),
    MissedSchedule(Type.Normal),
    Regressed(Type.Normal),
    NodesMarked(Type.Normal),
    MarksCleared(Type.Normal),
    WouldMarkNodes(Type.Normal),
    BudgetReset(Type.Normal),
    MarkingBudgetExceeded(Type.Warning),

    // failures (Warning events)
    InvalidSpec(Type.Warning),
    NodeNotFound(Type.Warning),
    NodeDeleted(Type.Warning),
    PodUnschedulable(Type.Warning),
    ImagePullFailed(Type.Warning),
    ContainerStartFailed(Type.Warning),
    RunnerFailed(Type.Warning),
    RunnerReportUnreadable(Type.Warning),
    ServerNeverReady(Type.Warning),
    StartDeadlineExceeded(Type.Warning),
    DeadlineExceeded(Type.Warning),
    PodDeleted(Type.Warning),
    PodEvicted(Type.Warning),
    LinksFailed(Type.Warning),
    ReconcileFailed(Type.Warning),
    // a fleet run's faults, and why a run could not reach verdicts
    FaultsFound(Type.Warning),
    NodeFault(Type.Warning),
    LinkFault(Type.Warning),
    PathFault(Type.Warning),
    RailFault(Type.Warning),
    Unqualified(Type.Warning),
    NoNodesSelected(Type.Warning),
    RecordLost(Type.Warning);

    /** The Kubernetes Event type. */
    public enum Type { Normal, Warning }

    private final Type type;

    Reason(Type type) {
        this.type = type;
    }

    public Type type() {
        return type;
    }

    /** The reason a status names, or the fallback for a name this operator does not know (an older or newer one). */
    public static Reason parse(String name, Reason fallback) {
        if (name == null) {
            return fallback;
        }
        for (Reason reason : values()) {
            if (reason.name().equals(name)) {
                return reason;
            }
        }
        return fallback;
    }
}
