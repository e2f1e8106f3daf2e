package dev.neper.fleet.operator.fleettest;

import dev.neper.fleet.operator.api.FleetDiscovery;
import dev.neper.fleet.operator.api.FleetHistory;
import dev.neper.fleet.operator.api.FleetHistoryEntry;
import dev.neper.fleet.operator.api.FleetLabels;
import dev.neper.fleet.operator.api.FleetMarking;
import dev.neper.fleet.operator.api.FleetMarkingStatus;
import dev.neper.fleet.operator.api.FleetScheduleStatus;
import dev.neper.fleet.operator.api.FleetProgress;
import dev.neper.fleet.operator.api.FleetSummary;
import dev.neper.fleet.operator.api.NeperFleetTest;
import dev.neper.fleet.operator.api.NeperFleetTestSpec;
import dev.neper.fleet.operator.api.NeperFleetTestStatus;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.Reason;
import dev.neper.fleet.operator.exclusion.NodeLeases;
import dev.neper.fleet.operator.fleet.eligibility.EligibleFleet;
import dev.neper.fleet.operator.fleet.eligibility.PreVerdict;
import dev.neper.fleet.operator.fleet.history.Regressions;
import dev.neper.fleet.operator.fleet.planning.FleetPlanner;
import dev.neper.fleet.operator.fleet.planning.FleetRun;
import dev.neper.fleet.operator.fleet.planning.Step;
import dev.neper.fleet.operator.fleet.summary.FleetSummaries;
import dev.neper.fleet.operator.fleet.wave.Wave;
import dev.neper.fleet.operator.fleet.wave.WaveResult;
import dev.neper.fleet.operator.fleettest.discovery.DiscoveredFleet;
import dev.neper.fleet.operator.fleettest.discovery.DiscoveredPod;
import dev.neper.fleet.operator.fleettest.discovery.DiscoveryPod;
import dev.neper.fleet.operator.fleettest.discovery.NodeState;
import dev.neper.fleet.operator.fleettest.discovery.RunRecord;
import dev.neper.fleet.operator.fleettest.marking.MarkTarget;
import dev.neper.fleet.operator.fleettest.marking.MarkingContext;
import dev.neper.fleet.operator.fleettest.marking.MarkingPlanner;
import dev.neper.fleet.operator.fleettest.marking.NodeMarking;
import dev.neper.fleet.operator.fleettest.schedule.RunTrigger;
import dev.neper.fleet.operator.fleettest.status.FleetStatusAggregator;
import dev.neper.fleet.operator.fleettest.waves.ChildTest;
import dev.neper.fleet.operator.fleettest.waves.ChildTests;
import dev.neper.fleet.operator.fleettest.waves.WaveResults;
import dev.neper.fleet.operator.plan.Admission;
import dev.neper.fleet.operator.runview.BestLinks;
import dev.neper.fleet.operator.plan.TestPlan.Leases;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A fleet run's decisions, a pure function of the fleet test, what was observed and what validation
 * answered: start (the run's id and seed, before anything is made), discovery (one pod per node, until
 * each reported or the deadline passed; then the run's record), waves (from {@link FleetPlanner}: the
 * child NeperTests of the next wave once the last one ended, or the verdicts), the end, and a restart
 * when the spec changes mid-run.
 *
 * <p>Evidence first, as for NeperTests: the status names the run before its pods and children exist, the
 * record exists before the status says Running, and discovery pods go only once the record holds what
 * they said. The waves' results live in the child NeperTests, so after an operator restart the planner
 * replays the run from them and carries on where it was.
 */
public final class FleetTestPlanner {
    public static final Duration DELETION_POLL = Duration.ofSeconds(1);
    /** A look at a running wave now and then, should an event about its children be missed. */
    static final Duration RUNNING_POLL = Duration.ofSeconds(30);
    static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final String defaultImage;
    private final Duration waitingPoll;
    private final Function<ConfigMap, EligibleFleet> records;

    /**
     * @param defaultImage the runner image of runs whose template names none
     * @param waitingPoll  how often a run waiting for another test's nodes looks again
     * @param records      reads a run's record (the reconciler caches what it decoded)
     */
    public FleetTestPlanner(String defaultImage, Duration waitingPoll, Function<ConfigMap, EligibleFleet> records) {
        this.defaultImage = defaultImage;
        this.waitingPoll = waitingPoll;
        this.records = records;
    }

    /**
     * The step this reconcile takes: {@link FleetStage#of(NeperFleetTest, RunTrigger)}, except that an ended
     * run whose marks are not all on its nodes yet stays ended until they are, though its next run is due:
     * a run that ends after its successor's start time (a run of minutes every minute) still marks its
     * nodes before the next run tests them.
     */
    public FleetStage stage(NeperFleetTest fleet, RunTrigger trigger, FleetObservation observed, Instant now) {
        FleetStage stage = FleetStage.of(fleet, trigger);
        FleetStage last = FleetStage.of(fleet);
        if (stage.kind() == FleetStage.Kind.START && last.kind() == FleetStage.Kind.ENDED
                && !marks(fleet, last.runId(), observed, now).isEmpty()) {
            return last;
        }
        return stage;
    }

    /** Whether the validate step (spec checks, then the node leases) is to be asked: a run about to start. */
    public static boolean needsAdmission(FleetStage stage, FleetObservation observed) {
        return stage.kind() == FleetStage.Kind.START && observed.isEmpty() && !observed.selected().isEmpty();
    }

    /** As {@link #needsAdmission(FleetStage, FleetObservation)} for a fleet test with a history and a schedule. */
    public static boolean needsAdmission(NeperFleetTest fleet, FleetStage stage, FleetObservation observed,
                                         RunTrigger trigger) {
        String latest = latestRun(fleet.getStatus());
        return stage.kind() == FleetStage.Kind.START && leftovers(observed, keptRuns(fleet, null), latest).isEmpty()
                && newer(observed, latest).isEmpty() && !observed.selected().isEmpty() && startsNow(fleet, trigger);
    }

    /** @param drawnSeed the seed of a run whose spec names none */
    public FleetTestPlan plan(NeperFleetTest fleet, FleetStage stage, FleetObservation observed, Admission admission,
                              long drawnSeed, Instant now) {
        return plan(fleet, stage, observed, admission, drawnSeed, RunTrigger.decide(fleet, now), now);
    }

    /** @param trigger whether a run is due (the schedule, the run-now annotation) */
    public FleetTestPlan plan(NeperFleetTest fleet, FleetStage stage, FleetObservation observed, Admission admission,
                              long drawnSeed, RunTrigger trigger, Instant now) {
        FleetTestPlan plan = switch (stage.kind()) {
            case START -> start(fleet, observed, admission, drawnSeed, trigger, now);
            case DISCOVER -> discover(fleet, stage.runId(), observed, now);
            case RUN -> run(fleet, stage.runId(), observed, now);
            case RESTART -> restart(fleet, observed, now);
            case ENDED -> ended(fleet, stage.runId(), observed, trigger, now);
        };
        if (plan.status() == null || fleet.getSpec() == null || fleet.getSpec().schedule() == null
                && trigger.kind() != RunTrigger.Kind.RUN_NOW) {
            return plan;
        }
        NeperFleetTestStatus.Builder status = plan.status().toBuilder().nextRunTime(trigger.nextRunTime());
        if (trigger.kind() == RunTrigger.Kind.MISSED) {
            status.schedule(trigger.acted(plan.status().scheduleOrNone()));
        }
        return plan.with(status.build(), plan.wakeAt(), plan.marks());
    }

    /** Whether a fleet test at START runs now: it has no schedule, its time (or a run-now) came, or its run restarts. */
    static boolean startsNow(NeperFleetTest fleet, RunTrigger trigger) {
        NeperFleetTestStatus status = fleet.getStatus();
        boolean restarted = status != null && Reason.RunRestarted.name().equals(status.reason());
        return fleet.getSpec() == null || fleet.getSpec().schedule() == null || trigger.runs()
                || trigger.kind() == RunTrigger.Kind.INVALID || restarted;
    }

    /**
     * The runs whose children and records are kept: the last ones of the history (all but one before a run
     * starts, making room for it) and the run going on.
     */
    static Set<String> keptRuns(NeperFleetTest fleet, String current) {
        List<FleetHistoryEntry> history = fleet.getStatus() == null ? List.of() : fleet.getStatus().historyList();
        int keep = (fleet.getSpec() == null ? FleetHistory.DEFAULT : fleet.getSpec().historyOrDefault()).runsOrDefault();
        Set<String> kept = new HashSet<>();
        int room = current == null ? keep - 1 : keep;
        history.subList(Math.max(0, history.size() - room), history.size()).forEach(h -> kept.add(h.runId()));
        if (current != null) {
            kept.add(current);
        }
        return kept;
    }

    /**
     * What runs no longer kept (or abandoned) left: their children, records and discovery pods, one by one.
     * Never a run newer than {@code latest}, the last run the status names: a reconcile that sees the fleet
     * test as it was before that run's start was written must not take the new run's objects for leftovers.
     */
    static List<HasMetadata> leftovers(FleetObservation observed, Set<String> kept, String latest) {
        return leftovers(observed, kept, Set.of(), latest);
    }

    /** As {@link #leftovers(FleetObservation, Set, String)}, keeping the discovery pods of {@code podRuns}. */
    static List<HasMetadata> leftovers(FleetObservation observed, Set<String> kept, Set<String> podRuns, String latest) {
        List<HasMetadata> all = new ArrayList<>();
        all.addAll(observed.notOf(observed.children(), kept));
        all.addAll(observed.notOf(observed.records(), kept));
        all.addAll(observed.notOf(observed.pods(), podRuns));
        // those being deleted stay listed: a new run waits until they are gone (a child going still holds its nodes)
        all.removeAll(newer(observed, latest));
        return all;
    }

    /**
     * The last run the status names: the run going on or ended, else the last kept one. A fleet test
     * waiting for nodes before its next run names no run but keeps its history, whose objects are then
     * not "newer" (the waiting status read as behind them would wait for ever).
     */
    static String latestRun(NeperFleetTestStatus status) {
        if (status == null) {
            return null;
        }
        if (status.runId() != null) {
            return status.runId();
        }
        List<FleetHistoryEntry> history = status.historyList();
        return history.isEmpty() ? null : history.getLast().runId();
    }

    /** Objects of a run newer than {@code latest} (null: of any run): the status has not caught up with it yet. */
    static List<HasMetadata> newer(FleetObservation observed, String latest) {
        List<HasMetadata> all = new ArrayList<>();
        all.addAll(observed.children());
        all.addAll(observed.records());
        all.addAll(observed.pods());
        return all.stream().filter(o -> {
            String run = o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(FleetLabels.RUN);
            return run != null && (latest == null || run.compareTo(latest) > 0);
        }).toList();
    }

    private FleetTestPlan start(NeperFleetTest fleet, FleetObservation observed, Admission admission, long drawnSeed,
                                RunTrigger trigger, Instant now) {
        NeperFleetTestStatus persisted = fleet.getStatus();
        String latest = latestRun(persisted);
        List<HasMetadata> leftovers = leftovers(observed, keptRuns(fleet, null), latest);
        if (!leftovers.isEmpty() || !newer(observed, latest).isEmpty()) {
            // an abandoned run's pods, children and record, or runs no longer kept: the new run starts once they are
            // gone; a newer run's objects: this view of the status is behind, the next one will not be
            return FleetTestPlan.deleting(leftovers, false, Leases.KEEP, persisted, now.plus(DELETION_POLL));
        }
        if (fleet.getSpec() == null) {
            return FleetTestPlan.status(Leases.FORGET, FleetStatusAggregator.invalid(fleet, persisted,
                    FleetSpecChecks.check(fleet), now), null);
        }
        if (!startsNow(fleet, trigger)) {
            return FleetTestPlan.status(Leases.KEEP, FleetStatusAggregator.scheduled(fleet, persisted, trigger.nextRun(), now),
                    trigger.nextRun() != null ? trigger.nextRun() : now.plus(RUNNING_POLL));
        }
        if (!admission.problems().isEmpty()) {
            return FleetTestPlan.status(Leases.FORGET, FleetStatusAggregator.invalid(fleet, persisted,
                    admission.problems(), now), null);
        }
        if (observed.selected().isEmpty()) {
            return FleetTestPlan.status(Leases.FORGET, FleetStatusAggregator.failed(fleet, persisted,
                    Reason.NoNodesSelected, "no node matches spec.nodes.selector", now), null);
        }
        if (admission.blocker().isPresent()) {
            NodeLeases.Blocker blocker = admission.blocker().get();
            List<String> nodes = List.copyOf(blocker.nodes());
            String message = "waiting for " + blocker.describe() + ", which uses node" + (nodes.size() > 1 ? "s " : " ")
                    + (nodes.size() <= 3 ? String.join(", ", nodes)
                    : String.join(", ", nodes.subList(0, 3)) + " and " + (nodes.size() - 3) + " more");
            return FleetTestPlan.status(Leases.KEEP, FleetStatusAggregator.waiting(fleet, persisted, blocker.describe(),
                    message, now), now.plus(waitingPoll));
        }
        if (latest != null && RUN_ID.format(now).compareTo(latest) <= 0) {
            // run ids are start times to the second: a run that follows one started this second (the status may
            // name it only in its history, after a wait for nodes) waits for the next
            return FleetTestPlan.status(Leases.KEEP, persisted, now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    .plusSeconds(1));
        }
        Long seed = fleet.getSpec().pairingOrDefault().seed();
        NeperFleetTestStatus discovering = FleetStatusAggregator.discovering(fleet, persisted, RUN_ID.format(now),
                seed != null ? seed : drawnSeed, now, new FleetDiscovery(observed.selected().size(), 0, 0, null, null,
                        null, null), now);
        FleetScheduleStatus schedule = trigger.acted(persisted == null ? FleetScheduleStatus.NONE : persisted.scheduleOrNone());
        return FleetTestPlan.status(Leases.KEEP, discovering.toBuilder().schedule(schedule).build(), null);
    }

    private FleetTestPlan discover(NeperFleetTest fleet, String runId, FleetObservation observed, Instant now) {
        NeperFleetTestStatus persisted = fleet.getStatus();
        NeperFleetTestSpec spec = fleet.getSpec();
        // another run's children, records and discovery pods, one by one (the collection delete would take this run's too)
        List<HasMetadata> stale = new ArrayList<>(leftovers(observed, keptRuns(fleet, runId), Set.of(runId), runId));
        List<DiscoveredPod> discovered = observed.pods(runId).stream().map(DiscoveredPod::of).toList();
        Duration allowed = DiscoveryPod.deadline(spec.template());
        Instant deadline = Instant.parse(persisted.startTime()).plus(allowed);
        boolean pastDeadline = !now.isBefore(deadline);
        Set<String> withPod = new HashSet<>();
        discovered.forEach(p -> withPod.add(p.node()));
        Set<String> excluded = Set.copyOf(spec.nodes().excludeList());
        List<Pod> create = new ArrayList<>();
        if (!pastDeadline) {
            for (Node node : observed.selected()) {
                String name = node.getMetadata().getName();
                if (!withPod.contains(name) && !excluded.contains(name) && NodeState.ready(node) && !NodeState.cordoned(node)) {
                    create.add(DiscoveryPod.desired(fleet, runId, node, defaultImage));
                }
            }
        }
        int ended = (int) discovered.stream().filter(DiscoveredPod::ended).count();
        boolean done = create.isEmpty() && (pastDeadline || ended == discovered.size());
        if (!done) {
            FleetDiscovery counts = new FleetDiscovery(observed.selected().size(), discovered.size() + create.size(),
                    ended, null, null, null, null);
            return new FleetTestPlan(null, create, List.of(), stale, false, Leases.HOLD,
                    FleetStatusAggregator.discovering(fleet, persisted, counts, now), deadline);
        }
        List<ConfigMap> existing = observed.records(runId);
        EligibleFleet eligible;
        ConfigMap record = null;
        if (!existing.isEmpty()) {
            // written by a reconcile whose status did not go out: it is the record
            eligible = records.apply(existing.getFirst());
        } else {
            eligible = DiscoveredFleet.assess(spec, observed.selected(), discovered, allowed);
            List<String> problems = eligible.rails().isEmpty() ? List.of()
                    : FleetSpecChecks.checkTemplate(fleet, eligible.rails());
            if (!problems.isEmpty()) {
                return FleetTestPlan.deleting(stale, false, Leases.RELEASE, FleetStatusAggregator.invalid(fleet,
                        persisted, problems, now), null);
            }
            record = RunRecord.of(fleet, runId, eligible);
        }
        long skipped = eligible.preVerdicts().stream().filter(v -> v.kind() == PreVerdict.Kind.Skipped).count();
        FleetDiscovery counts = new FleetDiscovery(observed.selected().size(), discovered.size(), ended,
                eligible.nodes().size(), (int) skipped, (int) (eligible.preVerdicts().size() - skipped),
                RunRecord.name(fleet, runId));
        String message = "discovered " + (eligible.nodes().size() + eligible.preVerdicts().size()) + " nodes on rails "
                + String.join(", ", eligible.rails()) + ": " + counts.testable() + " to test, " + counts.skipped()
                + " skipped, " + counts.unqualified() + " unqualified";
        return new FleetTestPlan(record, List.of(), List.of(), stale, false, Leases.HOLD,
                FleetStatusAggregator.running(fleet, persisted, counts, null, message, now), null);
    }

    private FleetTestPlan run(NeperFleetTest fleet, String runId, FleetObservation observed, Instant now) {
        NeperFleetTestStatus persisted = fleet.getStatus();
        List<HasMetadata> delete = new ArrayList<>(leftovers(observed, keptRuns(fleet, runId), runId));
        // the record holds what the discovery pods said: this run's go too, all at once
        delete.removeAll(observed.pods());
        // the record holds what the discovery pods said: they go, every run's, in one request
        boolean pods = !observed.pods().isEmpty();
        List<ConfigMap> record = observed.records(runId);
        if (record.isEmpty()) {
            return lost(fleet, delete, pods, "the run's record, ConfigMap " + RunRecord.name(fleet, runId)
                    + ", is gone: the run cannot be replayed without it; create a new NeperFleetTest to run again", now);
        }
        EligibleFleet eligible;
        try {
            eligible = records.apply(record.getFirst());
        } catch (IllegalArgumentException e) {
            return lost(fleet, delete, pods, e.getMessage(), now);
        }
        Map<List<Integer>, List<ChildTest>> waves = new TreeMap<>(Comparator.comparing((List<Integer> k) -> k.get(0))
                .thenComparing(k -> k.get(1)));
        for (NeperTest test : observed.children(runId)) {
            ChildTest.of(test).ifPresent(c -> waves.computeIfAbsent(List.of(c.round(), c.wave()), k -> new ArrayList<>())
                    .add(c));
        }
        List<WaveResult> results = new ArrayList<>();
        int pairTests = 0;
        List<ChildTest> running = null;
        for (List<ChildTest> wave : waves.values()) {
            for (ChildTest child : wave) {
                if (child.ended() && Reason.InvalidSpec.name().equals(child.test().getStatus().reason())) {
                    return FleetTestPlan.deleting(delete, pods, Leases.RELEASE, FleetStatusAggregator.invalid(fleet, persisted,
                            List.of("child NeperTest " + child.name() + " was refused: "
                                    + child.test().getStatus().message()), now), null);
                }
            }
            boolean complete = wave.size() >= wave.getFirst().parts() && wave.stream().allMatch(ChildTest::ended);
            if (!complete) {
                running = wave;
                break;
            }
            results.add(WaveResults.of(wave.getFirst().round(), wave.getFirst().wave(),
                    wave.stream().map(ChildTest::test).toList()));
            pairTests += pairs(wave);
        }
        FleetDiscovery discovery = persisted.discovery();
        List<FleetTestPlan.NodeMarks> testing = testing(fleet, runId, eligible, observed, now);
        if (running != null && running.size() >= running.getFirst().parts()) {
            return new FleetTestPlan(null, List.of(), List.of(), delete, pods, Leases.HOLD, FleetStatusAggregator.running(
                    fleet, persisted, discovery, progress(running, results.size(), pairTests),
                    message(running, results.size()), now), now.plus(RUNNING_POLL), testing);
        }
        Step step;
        try {
            step = FleetPlanner.next(new FleetRun(eligible, RunSettings.of(fleet.getSpec(), persisted.seed()), results));
        } catch (IllegalArgumentException e) {
            return lost(fleet, delete, pods, "the run's child NeperTests do not match its plan (" + e.getMessage()
                    + "): was one deleted?", now);
        }
        return switch (step) {
            case Step.RunWave(Wave wave) -> {
                FleetTestPlan next = nextWave(fleet, runId, wave, running, delete, pods, results.size(), pairTests, now);
                yield next.with(next.status(), next.wakeAt(), testing);
            }
            case Step.Finished(var report) -> {
                FleetSummary summary = withRegressions(fleet, runId, observed, FleetSummaries.of(report));
                FleetMarkingStatus marking = MarkingPlanner.decide(fleet.getSpec().markingOrDefault(),
                        MarkingContext.of(fleet, runId, now), observed.selected(), tested(eligible), summary,
                        persisted.marking(), annotation(fleet, FleetMarking.RESET_BUDGET), now);
                yield FleetTestPlan.deleting(delete, pods, Leases.RELEASE, FleetStatusAggregator.completed(fleet, persisted,
                        summary, new FleetProgress(null, null, null, null, report.waves(), report.pairTests()), marking,
                        now), null);
            }
        };
    }

    /** The wave's children, or those of its parts still missing (a reconcile that created only some of them). */
    private FleetTestPlan nextWave(NeperFleetTest fleet, String runId, Wave wave, List<ChildTest> partial,
                                   List<HasMetadata> delete, boolean pods, int wavesDone, int pairTests, Instant now) {
        NeperFleetTestStatus persisted = fleet.getStatus();
        List<NeperTest> children = ChildTests.of(fleet, runId, wave);
        List<NeperTest> create = children;
        if (partial != null) {
            ChildTest first = partial.getFirst();
            if (first.round() != wave.round() || first.wave() != wave.index()) {
                return lost(fleet, delete, pods, "the run's children include round " + first.round() + " wave " + first.wave()
                        + " where its plan has round " + wave.round() + " wave " + wave.index(), now);
            }
            Set<String> present = new HashSet<>();
            partial.forEach(c -> present.add(c.name()));
            create = children.stream().filter(c -> !present.contains(c.getMetadata().getName())).toList();
        }
        List<ChildTest> planned = children.stream().map(c -> ChildTest.of(c).orElseThrow()).toList();
        return new FleetTestPlan(null, List.of(), create, delete, pods, Leases.HOLD, FleetStatusAggregator.running(fleet,
                persisted, persisted.discovery(), progress(planned, wavesDone, pairTests), message(planned, wavesDone), now),
                now.plus(RUNNING_POLL));
    }

    private static FleetTestPlan restart(NeperFleetTest fleet, FleetObservation observed, Instant now) {
        NeperFleetTestStatus persisted = fleet.getStatus();
        List<HasMetadata> abandoned = leftovers(observed, keptRuns(fleet, null), persisted.runId());
        if (!abandoned.isEmpty() || !observed.pods().isEmpty()) {
            return FleetTestPlan.deleting(abandoned, false, Leases.KEEP, persisted, now.plus(DELETION_POLL));
        }
        String message = "the spec changed from generation " + persisted.observedGeneration() + " to "
                + fleet.getMetadata().getGeneration() + " during run " + persisted.runId()
                + ": the run was stopped and starts again";
        return FleetTestPlan.status(Leases.RELEASE, FleetStatusAggregator.restarting(fleet, persisted, message, now), now);
    }

    /**
     * After the end: verdicts and the kept runs' children stay (older runs' go); discovery pods go; the nodes
     * go back, marked as the status says; and the next run is awaited.
     */
    private FleetTestPlan ended(NeperFleetTest fleet, String runId, FleetObservation observed, RunTrigger trigger,
                                Instant now) {
        NeperFleetTestStatus persisted = fleet.getStatus();
        Long generation = fleet.getMetadata().getGeneration();
        boolean scheduled = fleet.getSpec() != null && fleet.getSpec().schedule() != null;
        NeperFleetTestStatus status;
        if (trigger.kind() == RunTrigger.Kind.INVALID) {
            status = FleetStatusAggregator.invalid(fleet, persisted, List.of(trigger.problem()), now);
        } else if (scheduled || generation == null || generation.equals(persisted.observedGeneration())) {
            status = persisted;
        } else {
            status = FleetStatusAggregator.specChangedAfterEnd(fleet, persisted, now);
        }
        Instant wake = observed.pods().isEmpty() ? now.plus(RUNNING_POLL) : now.plus(DELETION_POLL);
        if (trigger.nextRun() != null && trigger.nextRun().isBefore(wake)) {
            wake = trigger.nextRun();
        }
        return FleetTestPlan.deleting(leftovers(observed, keptRuns(fleet, runId), runId), false,
                Leases.RELEASE, status, wake).with(status, wake, marks(fleet, runId, observed, now));
    }

    /** The run's verdicts with its regressions: devices below their own median over the earlier kept runs. */
    private static FleetSummary withRegressions(NeperFleetTest fleet, String runId, FleetObservation observed,
                                                FleetSummary summary) {
        FleetHistory history = fleet.getSpec().historyOrDefault();
        Set<String> kept = keptRuns(fleet, runId);
        List<String> earlier = fleet.getStatus().historyList().stream().map(FleetHistoryEntry::runId)
                .filter(id -> kept.contains(id) && !id.equals(runId)).toList();
        if (earlier.isEmpty() || history.regressionFractionOrDefault() <= 0) {
            return summary;
        }
        List<Map<String, Map<String, Double>>> past = List.copyOf(BestLinks.byRun(observed.children(), earlier).values());
        return Regressions.apply(summary, Regressions.find(BestLinks.of(observed.children(runId)), past,
                history.regressionFractionOrDefault(), history.regressionMinRunsOrDefault()));
    }

    /** The marks the last run's marking decision still has to write (none in a dry run). */
    private List<FleetTestPlan.NodeMarks> marks(NeperFleetTest fleet, String runId, FleetObservation observed,
                                                 Instant now) {
        NeperFleetTestStatus persisted = fleet.getStatus();
        FleetMarkingStatus marking = persisted.marking();
        if (marking == null || marking.dryRun() || runId == null || !runId.equals(marking.runId())
                || persisted.summary() == null) {
            return List.of();
        }
        List<ConfigMap> record = observed.records(runId);
        if (record.isEmpty()) {
            return List.of();
        }
        Set<String> tested = tested(records.apply(record.getFirst()));
        MarkingContext context = MarkingContext.of(fleet, runId, Instant.parse(persisted.completionTime()));
        Map<String, MarkTarget> targets = MarkingPlanner.targets(observed.selected(), tested, persisted.summary(),
                MarkingPlanner.markedFaulty(marking), context);
        List<FleetTestPlan.NodeMarks> marks = new ArrayList<>();
        for (Node node : observed.selected()) {
            NodeMarking.change(node, context, targets.get(node.getMetadata().getName()), now)
                    .ifPresent(change -> marks.add(new FleetTestPlan.NodeMarks(node, change)));
        }
        return marks;
    }

    /** The "testing" mark on every node the run tests (none in a dry run). */
    private static List<FleetTestPlan.NodeMarks> testing(NeperFleetTest fleet, String runId, EligibleFleet eligible,
                                                          FleetObservation observed, Instant now) {
        if (fleet.getSpec().markingOrDefault().dryRunOrDefault()) {
            return List.of();
        }
        Set<String> tested = tested(eligible);
        MarkingContext context = MarkingContext.of(fleet, runId, now);
        List<FleetTestPlan.NodeMarks> marks = new ArrayList<>();
        for (Node node : observed.selected()) {
            if (tested.contains(node.getMetadata().getName())) {
                NodeMarking.change(node, context, new MarkTarget.Testing(), now)
                        .ifPresent(change -> marks.add(new FleetTestPlan.NodeMarks(node, change)));
            }
        }
        return marks;
    }

    private static Set<String> tested(EligibleFleet eligible) {
        Set<String> tested = new HashSet<>();
        eligible.nodes().forEach(n -> tested.add(n.name()));
        return tested;
    }

    private static String annotation(NeperFleetTest fleet, String key) {
        Map<String, String> annotations = fleet.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    private static FleetTestPlan lost(NeperFleetTest fleet, List<HasMetadata> delete, boolean pods, String message,
                                      Instant now) {
        return FleetTestPlan.deleting(delete, pods, Leases.RELEASE, FleetStatusAggregator.failed(fleet, fleet.getStatus(),
                Reason.RecordLost, message, now), null);
    }

    private static int pairs(List<ChildTest> wave) {
        return wave.stream().mapToInt(c -> c.test().getSpec() == null ? 0 : c.test().getSpec().pairList().size()).sum();
    }

    private static FleetProgress progress(List<ChildTest> wave, int wavesDone, int pairTests) {
        ChildTest first = wave.getFirst();
        return new FleetProgress(first.round(), first.wave(), pairs(wave),
                wave.stream().map(ChildTest::name).sorted().toList(), wavesDone, pairTests);
    }

    /** "round 2 wave 1: 6 pairs in nightly-20260115-020000-r2w1-p1; 1 wave done" */
    private static String message(List<ChildTest> wave, int wavesDone) {
        ChildTest first = wave.getFirst();
        List<String> names = wave.stream().map(ChildTest::name).sorted().toList();
        return "round " + first.round() + " wave " + first.wave() + ": " + pairs(wave) + " pairs in "
                + (names.size() <= 2 ? String.join(", ", names) : names.getFirst() + " and " + (names.size() - 1)
                + " more child tests") + "; " + wavesDone + " wave" + (wavesDone == 1 ? "" : "s") + " done";
    }
}
