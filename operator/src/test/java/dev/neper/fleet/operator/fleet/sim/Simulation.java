package dev.neper.fleet.operator.fleet.sim;

import dev.neper.fleet.operator.fleet.eligibility.DeviceSelection;
import dev.neper.fleet.operator.fleet.eligibility.EligibleFleet;
import dev.neper.fleet.operator.fleet.eligibility.Eligibility;
import dev.neper.fleet.operator.fleet.eligibility.TestNode;
import dev.neper.fleet.operator.fleet.judging.JudgingThresholds;
import dev.neper.fleet.operator.fleet.pairing.FirstRoundPairing;
import dev.neper.fleet.operator.fleet.pairing.PairingSettings;
import dev.neper.fleet.operator.fleet.planning.FleetPlanner;
import dev.neper.fleet.operator.fleet.planning.FleetReport;
import dev.neper.fleet.operator.fleet.planning.FleetRun;
import dev.neper.fleet.operator.fleet.planning.FleetSettings;
import dev.neper.fleet.operator.fleet.planning.Step;
import dev.neper.fleet.operator.fleet.summary.FleetSummaries;
import dev.neper.fleet.operator.api.FleetSummary;
import dev.neper.fleet.operator.fleet.wave.PlannedLink;
import dev.neper.fleet.operator.fleet.wave.PlannedPair;
import dev.neper.fleet.operator.fleet.wave.Wave;
import dev.neper.fleet.operator.fleet.wave.WaveResult;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Drives the planner over a simulated fleet exactly as the controller will: eligibility, then plan a
 * wave, measure it, hand its results back, until the planner reports. Times the pure computation only.
 */
public final class Simulation {
    /** More waves than any run can need: the loop stops itself. */
    private static final int MAX_WAVES = 10_000;

    /**
     * A simulated run's outcome.
     *
     * @param config       what was simulated
     * @param report       the planner's report
     * @param summary      its status form
     * @param score        verdicts against the injected faults
     * @param computeNanos time spent in eligibility, planning and the summary
     * @param computeCpuNanos the same in this thread's CPU time, which other processes on the machine
     *                        disturb less than the wall clock
     * @param plannerCalls calls of FleetPlanner.next
     */
    public record Outcome(SimConfig config, FleetReport report, FleetSummary summary, Score score, long computeNanos,
                          long computeCpuNanos, int plannerCalls) {
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** Wall and CPU time of the pure computation, added up around each call. */
    private static final class Stopwatch {
        private long wall;
        private long cpu;
        private long wallStart;
        private long cpuStart;

        void start() {
            wallStart = System.nanoTime();
            cpuStart = THREADS.getCurrentThreadCpuTime();
        }

        void stop() {
            wall += System.nanoTime() - wallStart;
            cpu += THREADS.getCurrentThreadCpuTime() - cpuStart;
        }
    }

    private Simulation() {
    }

    public static Outcome run(SimConfig config) {
        SimulatedFleet sim = SimulatedFleet.build(config);
        Stopwatch watch = new Stopwatch();
        watch.start();
        EligibleFleet fleet = Eligibility.assess(DeviceSelection.matching("eth[0-9]+"), sim.observed());
        watch.stop();
        FleetSettings settings = new FleetSettings(
                new PairingSettings(config.strategy(), config.seed(), config.seed() & 0xFFFF, config.rackMode()),
                config.maxPairsAtOnce(), JudgingThresholds.DEFAULTS.withFloor(config.minLinkGbps()),
                dev.neper.fleet.operator.fleet.attribution.AttributionThresholds.DEFAULTS);
        sim.injectAfterMatching(FirstRoundPairing.match(fleet.nodes(), settings.pairing()));
        Map<String, TestNode> nodes = fleet.nodes().stream().collect(Collectors.toMap(TestNode::name, Function.identity()));
        FleetRun run = FleetRun.start(fleet, settings);
        for (int calls = 1; calls <= MAX_WAVES; calls++) {
            watch.start();
            Step step = FleetPlanner.next(run);
            watch.stop();
            switch (step) {
                case Step.RunWave(Wave wave) -> {
                    checkReachable(wave, nodes);
                    run = run.with(new WaveResult(wave.round(), wave.index(), sim.measure(wave)));
                }
                case Step.Finished(FleetReport report) -> {
                    watch.start();
                    FleetSummary summary = FleetSummaries.of(report);
                    watch.stop();
                    return new Outcome(config, report, summary, Score.of(sim.truth(), report.verdicts()), watch.wall,
                            watch.cpu, calls);
                }
            }
        }
        throw new AssertionError("the planner did not finish within " + MAX_WAVES + " waves");
    }

    /** Every planned link joins the two nodes' addresses on that rail, which eligibility put in one subnet. */
    private static void checkReachable(Wave wave, Map<String, TestNode> nodes) {
        for (PlannedPair pair : wave.pairs()) {
            for (PlannedLink link : pair.links()) {
                if (!link.serverAddress().equals(nodes.get(pair.server()).addresses().get(link.device()))
                        || !link.clientAddress().equals(nodes.get(pair.client()).addresses().get(link.device()))) {
                    throw new AssertionError("round " + wave.round() + " planned " + pair + " with foreign addresses");
                }
            }
        }
    }
}
