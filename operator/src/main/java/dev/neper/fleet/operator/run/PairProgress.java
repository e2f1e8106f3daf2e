package dev.neper.fleet.operator.run;

import dev.neper.fleet.operator.api.PairPhase;
import dev.neper.fleet.operator.api.PairStatus;
import dev.neper.fleet.operator.api.Reason;
import dev.neper.fleet.operator.observe.ObservedPod;
import dev.neper.fleet.operator.observe.PodState;
import dev.neper.fleet.operator.pods.Role;
import dev.neper.fleet.runner.contract.LinkSummary;
import dev.neper.fleet.runner.contract.NodeSummary;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One pair's state machine, a pure function of what was observed: server first; the client once
 * the test says so; the pair ends when both runners ended, when one of them failed, or when a
 * deadline passed. Failures that Kubernetes may still resolve by itself (a pod waiting for the
 * scheduler, an image pull the kubelet retries) fail the pair only at the start deadline, quoting
 * the last word Kubernetes had; failures that are final fail it at once.
 */
public final class PairProgress {
    /** How long the other side of a runner that failed on every link has to report before the pair ends. */
    static final Duration PEER_REPORT_GRACE = Duration.ofSeconds(20);
    /** Waiting reasons the kubelet never recovers from. */
    private static final Set<String> FINAL_PULL_REASONS = Set.of("InvalidImageName", "ErrImageNeverPull");

    private PairProgress() {
    }

    public static PairStep step(PairInputs in, RunClock clock, boolean clientsStarted) {
        PairStep step = next(in, clock, clientsStarted);
        if (!step.phase().isTerminal() && clock.pastFinish()) {
            return PairStep.failed(Reason.DeadlineExceeded, in.label() + " had not ended at the finish deadline ("
                    + clock.finishText() + "): " + podStates(in));
        }
        return step;
    }

    private static PairStep next(PairInputs in, RunClock clock, boolean clientsStarted) {
        PairStatus previous = in.previous();
        PairPhase previousPhase = previous == null || previous.phase() == null ? PairPhase.Pending : previous.phase();
        if (previousPhase.isTerminal()) {
            return new PairStep(previousPhase, reasonOf(previous), previous.message(), false, null);
        }
        PairStep nodes = checkNodes(in, previousPhase);
        if (nodes != null) {
            return nodes;
        }
        ObservedPod server = in.server();
        if (server == null) {
            if (previousPhase == PairPhase.Pending) {
                return new PairStep(PairPhase.Starting, null, null, true, clock.now().plus(clock.timing().startDeadline()));
            }
            return PairStep.failed(Reason.PodDeleted, "server pod of " + in.label() + " was deleted before the test ended");
        }
        PairStep serverFailure = failure(server, in, clock);
        ObservedPod client = in.client();
        if (serverFailure != null) {
            return diedFirst(client, server) ? failure(client, in, clock) : serverFailure;
        }
        if (client == null) {
            if (clientsStarted && previousPhase == PairPhase.Running) {
                return PairStep.failed(Reason.PodDeleted, "client pod of " + in.label() + " was deleted before the test ended");
            }
            if (server.state() == PodState.SUCCEEDED) {
                return PairStep.failed(Reason.RunnerFailed, "server " + server.name() + " on " + server.node()
                        + " exited before its client started");
            }
            if (server.state() == PodState.READY) {
                return PairStep.of(PairPhase.Ready, clock.finishAt());
            }
            return PairStep.of(PairPhase.Starting, earliest(startDeadline(server, clock), clock.finishAt()));
        }
        PairStep clientFailure = failure(client, in, clock);
        if (clientFailure != null) {
            return clientFailure;
        }
        if (client.state() == PodState.SUCCEEDED && server.state() == PodState.SUCCEEDED) {
            return PairStep.of(PairPhase.Succeeded, null);
        }
        Instant wake = client.state().isTerminated() || client.state() == PodState.RUNNING
                || client.state() == PodState.READY ? clock.finishAt()
                : earliest(startDeadline(client, clock), clock.finishAt());
        wake = earliest(wake, earliest(outcomeKnownAt(server), outcomeKnownAt(client)));
        return PairStep.of(PairPhase.Running, wake);
    }

    private static PairStep checkNodes(PairInputs in, PairPhase previousPhase) {
        List<String> missing = new ArrayList<>();
        if (!in.serverNodeExists()) {
            missing.add(in.pair().server().node());
        }
        if (!in.clientNodeExists()) {
            missing.add(in.pair().client().node());
        }
        if (missing.isEmpty()) {
            return null;
        }
        String nodes = String.join(" and ", missing);
        if (previousPhase == PairPhase.Pending && in.server() == null) {
            return PairStep.failed(Reason.NodeNotFound, "node " + nodes + " of " + in.label() + " does not exist");
        }
        return PairStep.failed(Reason.NodeDeleted, "node " + nodes + " of " + in.label() + " was deleted during the test");
    }

    /** Why this pod ends the pair now, or null while it may still succeed. */
    static PairStep failure(ObservedPod pod, PairInputs in, RunClock clock) {
        String who = pod.role().label() + " pod " + pod.name() + " on node " + pod.node();
        if (pod.deleting() && !pod.state().isTerminated()) {
            return PairStep.failed(Reason.PodDeleted, who + " is being deleted before the test ended");
        }
        boolean pastStart = clock.now().isAfter(startDeadline(pod, clock));
        return switch (pod.state()) {
            case FAILED -> pod.summary() != null && otherSideStillRunning(pod, in) && !outcomeKnown(pod, clock) ? null
                    : PairStep.failed(Reason.RunnerFailed, who + " " + ExitStatus.describe(pod) + ": " + ErrorLine.of(pod));
            case REJECTED -> rejected(pod, who);
            case SUCCEEDED -> pod.summary() == null ? PairStep.failed(Reason.RunnerReportUnreadable, who
                    + " exited 0 without a readable summary in its termination message: "
                    + ErrorLine.shorten(pod.terminationMessage())) : null;
            case UNSCHEDULABLE -> pastStart ? PairStep.failed(Reason.PodUnschedulable, who
                    + " could not be scheduled within the start deadline: " + pod.quote()) : null;
            case IMAGE_PULL_FAILED -> pastStart || FINAL_PULL_REASONS.contains(pod.reason())
                    ? PairStep.failed(Reason.ImagePullFailed, who + " cannot pull its image: " + pod.quote()) : null;
            case START_FAILED -> pastStart ? PairStep.failed(Reason.ContainerStartFailed, who
                    + " could not start its container: " + pod.quote()) : null;
            case PENDING -> pastStart ? PairStep.failed(Reason.StartDeadlineExceeded, who
                    + " still not running at the start deadline (" + clock.startText() + ")"
                    + (pod.quote().isEmpty() ? "" : ": " + pod.quote())) : null;
            case RUNNING -> pod.role() == Role.SERVER && in.client() == null && pastStart
                    ? PairStep.failed(Reason.ServerNeverReady, who + " did not listen on every link within the start"
                            + " deadline (" + clock.startText() + "): its readiness probe never passed")
                    : null;
            case READY -> null;
        };
    }

    /**
     * A runner that failed but reported a link that worked waits for the other side: the other runner
     * ends too (its links end on their own soon after the duration), and its summary has the rest of
     * each link's story, so a link that worked is not failed for the one that did not.
     */
    private static boolean otherSideStillRunning(ObservedPod pod, PairInputs in) {
        ObservedPod other = pod.role() == Role.SERVER ? in.client() : in.server();
        return other != null && !other.state().isTerminated();
    }

    /**
     * Whether {@code pod} died without a summary (killed, crashed) while its peer failed with one: the
     * peer then most likely failed because it lost this one, so this one's failure is the pair's.
     */
    private static boolean diedFirst(ObservedPod pod, ObservedPod peer) {
        return pod != null && pod.state() == PodState.FAILED && pod.summary() == null && peer.summary() != null;
    }

    /**
     * A runner that failed on every link decides the pair: nothing the other side reports can make a
     * link pass. The other side gets {@link #PEER_REPORT_GRACE} to report too (its summary often
     * names the cause, such as the link that is down on its node), then the pair ends without it.
     */
    private static boolean outcomeKnown(ObservedPod pod, RunClock clock) {
        Instant decidedAt = outcomeKnownAt(pod);
        return decidedAt != null && !clock.now().isBefore(decidedAt);
    }

    /** When a failed runner's summary decides the pair, or null when it does not (or is not in). */
    static Instant outcomeKnownAt(ObservedPod pod) {
        NodeSummary summary = pod.summary();
        if (pod.state() != PodState.FAILED || summary == null || pod.finished() == null
                || (summary.error() == null && summary.links().stream().anyMatch(LinkSummary::succeeded))) {
            return null;
        }
        return pod.finished().plus(PEER_REPORT_GRACE);
    }

    private static PairStep rejected(ObservedPod pod, String who) {
        String reason = pod.reason() == null ? "" : pod.reason();
        if (reason.equals("DeadlineExceeded")) {
            return PairStep.failed(Reason.DeadlineExceeded, who + " was stopped by the kubelet at its active deadline: "
                    + pod.quote());
        }
        if (reason.equals("Evicted") || reason.equals("Preempting") || reason.equals("Terminated")
                || reason.equals("Shutdown")) {
            return PairStep.failed(Reason.PodEvicted, who + " was evicted: " + pod.quote());
        }
        // pinned with nodeName, a pod skips the scheduler; the kubelet's admission refusal is its word
        return PairStep.failed(Reason.PodUnschedulable, who + " was refused by the node: " + pod.quote());
    }

    static Instant startDeadline(ObservedPod pod, RunClock clock) {
        Instant created = pod.created() != null ? pod.created() : clock.startedAt();
        return created.plus(clock.timing().startDeadline());
    }

    private static String podStates(PairInputs in) {
        List<String> states = new ArrayList<>();
        for (ObservedPod pod : new ObservedPod[] {in.server(), in.client()}) {
            if (pod != null) {
                states.add(pod.name() + " " + pod.state().name().toLowerCase(Locale.ROOT));
            }
        }
        return states.isEmpty() ? "no pod started" : String.join(", ", states);
    }

    private static Reason reasonOf(PairStatus status) {
        return Reason.parse(status.reason(), null);
    }

    static Instant earliest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }
}
