package dev.neper.fleet.operator.run;

import dev.neper.fleet.operator.api.LinkResult;
import dev.neper.fleet.operator.api.LinkVerdict;
import dev.neper.fleet.operator.api.NeperTestSpec;
import dev.neper.fleet.operator.api.PairPhase;
import dev.neper.fleet.operator.api.PairStatus;
import dev.neper.fleet.operator.api.TestPhase;
import dev.neper.fleet.operator.api.Reason;
import dev.neper.fleet.runner.contract.NodeSummary;

import java.util.ArrayList;
import java.util.List;

/**
 * The test-level step of a started run: every pair's step, then the gate (clients only once every
 * pair still alive has a ready server), then the test's phase and verdict. Pure: the reconciler
 * carries out what it returns.
 */
public final class RunPlanner {
    private static final int MAX_QUOTED_FAILURES = 3;

    private RunPlanner() {
    }

    public static RunPlan plan(NeperTestSpec spec, List<PairInputs> inputs, RunClock clock, boolean clientsStarted) {
        List<PairStep> steps = new ArrayList<>(inputs.size());
        List<Integer> createServers = new ArrayList<>();
        java.time.Instant wake = null;
        for (PairInputs in : inputs) {
            PairStep step = PairProgress.step(in, clock, clientsStarted);
            steps.add(step);
            if (step.createServer()) {
                createServers.add(in.index());
            }
            wake = PairProgress.earliest(wake, step.wakeAt());
        }

        // the gate opens once; a ready pair without a client after that is one whose creation did not
        // happen (an API error cut the loop short), so it gets its client on the next pass
        List<Integer> createClients = new ArrayList<>();
        boolean anyAlive = steps.stream().anyMatch(s -> !s.phase().isTerminal());
        boolean allAliveReady = steps.stream().allMatch(s -> s.phase().isTerminal() || s.phase() == PairPhase.Ready);
        if (clientsStarted || (anyAlive && allAliveReady)) {
            for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i).phase() == PairPhase.Ready) {
                    createClients.add(inputs.get(i).index());
                    steps.set(i, PairStep.of(PairPhase.Running, clock.finishAt()));
                }
            }
            if (!createClients.isEmpty()) {
                wake = PairProgress.earliest(wake, clock.now().plus(clock.timing().startDeadline()));
            }
            clientsStarted = true;
        }

        List<PairStatus> pairs = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            pairs.add(pairStatus(spec, inputs.get(i), steps.get(i)));
        }
        boolean allEnded = steps.stream().allMatch(s -> s.phase().isTerminal());
        if (!allEnded) {
            return clientsStarted
                    ? new RunPlan(pairs, createServers, createClients, true, TestPhase.Running, Reason.ClientsStarted,
                            "clients of " + count(steps, PairPhase.Running) + " pairs are sending", wake)
                    : new RunPlan(pairs, createServers, createClients, false, TestPhase.Starting, Reason.Started,
                            count(steps, PairPhase.Ready) + " of " + steps.size() + " servers ready", wake);
        }
        return verdict(pairs, clientsStarted);
    }

    private static PairStatus pairStatus(NeperTestSpec spec, PairInputs in, PairStep step) {
        NodeSummary server = in.server() == null ? null : in.server().summary();
        NodeSummary client = in.client() == null ? null : in.client().summary();
        List<LinkResult> links = step.phase().isTerminal() && in.previous() != null
                && in.previous().phase() != null && in.previous().phase().isTerminal()
                ? in.previous().links()
                : LinkResults.of(spec, in.pair().linkList(), step.phase(), step.message(), server, client);
        return new PairStatus(in.pair().server().node(), in.pair().client().node(), step.phase(),
                step.reason() == null ? null : step.reason().name(),
                step.message() == null ? null : ErrorLine.shorten(step.message(), ErrorLine.MAX_PAIR_MESSAGE), links);
    }

    private static RunPlan verdict(List<PairStatus> pairs, boolean clientsStarted) {
        List<PairStatus> failedPairs = pairs.stream().filter(p -> p.phase() == PairPhase.Failed).toList();
        List<String> failedLinks = new ArrayList<>();
        int total = 0;
        for (PairStatus pair : pairs) {
            for (LinkResult link : pair.links()) {
                total++;
                if (link.verdict() != LinkVerdict.Passed) {
                    failedLinks.add(pair.server() + "->" + pair.client() + " " + link.device() + ": " + link.error());
                }
            }
        }
        if (failedLinks.isEmpty()) {
            return new RunPlan(pairs, List.of(), List.of(), clientsStarted, TestPhase.Succeeded, Reason.Succeeded,
                    "all " + total + " links passed", null);
        }
        if (!failedPairs.isEmpty()) {
            PairStatus first = failedPairs.getFirst();
            String message = first.message()
                    + (failedPairs.size() > 1 ? "; and " + (failedPairs.size() - 1) + " more pairs failed" : "");
            return new RunPlan(pairs, List.of(), List.of(), clientsStarted, TestPhase.Failed,
                    Reason.parse(first.reason(), Reason.RunnerFailed), message, null);
        }
        String message = failedLinks.size() + " of " + total + " links failed: "
                + String.join("; ", failedLinks.subList(0, Math.min(MAX_QUOTED_FAILURES, failedLinks.size())))
                + (failedLinks.size() > MAX_QUOTED_FAILURES ? "; ..." : "");
        return new RunPlan(pairs, List.of(), List.of(), clientsStarted, TestPhase.Failed, Reason.LinksFailed,
                ErrorLine.shorten(message, ErrorLine.MAX_PAIR_MESSAGE), null);
    }

    private static long count(List<PairStep> steps, PairPhase phase) {
        return steps.stream().filter(s -> s.phase() == phase).count();
    }
}
