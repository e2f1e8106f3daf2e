package dev.neper.fleet.operator.fleet.sim;

import dev.neper.fleet.operator.fleet.pairing.PairingStrategy;
import dev.neper.fleet.operator.fleet.pairing.RackMode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties over simulated fleets from a seeded generator (jqwik's engine targets JUnit Platform 1.x, this
 * build runs JUnit 6): fleets of 12 to 2,000 nodes with 1 to 8 rails, every pairing strategy, with and
 * without a wave limit; bad nodes, bad devices, bad paths, flaky devices, a rail bad fleet-wide and rails
 * bad in one rack, as slowdowns to 30-70% or errors, touching at most a quarter of the nodes (a rack's bad
 * rail touching all of its nodes). For each:
 * no healthy node, device, path or rail convicted; every fault found; at most 3 rounds; every off-subnet
 * node Unqualified. A failure names the case's seed: bench/fleet-attribution.sh replays it.
 */
@Tag("unit")
class FleetAttributionPropertyTest {
    private static final long BASE_SEED = Long.getLong("neper-fleet.property.seed", 20260101L);
    private static final int CASES = Integer.getInteger("neper-fleet.property.cases", 60);

    @TestFactory
    List<DynamicTest> attributionConvictsOnlyInjectedFaultsAndFindsThemAll() {
        List<DynamicTest> tests = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(BASE_SEED);
        for (int i = 0; i < CASES; i++) {
            SimConfig config = generate(random.split(), BASE_SEED + i);
            tests.add(DynamicTest.dynamicTest(describe(config), () -> check(config)));
        }
        return tests;
    }

    private static SimConfig generate(SplittableRandom random, long seed) {
        int nodes = random.nextInt(10) < 7 ? 12 + random.nextInt(300) : 300 + random.nextInt(1701);
        int rails = 1 + random.nextInt(8);
        int rackSize = 4 + random.nextInt(29);
        SimConfig.Builder builder = SimConfig.builder(nodes, rails, seed).rackSize(rackSize);
        PairingStrategy strategy = PairingStrategy.values()[random.nextInt(3)];
        builder.strategy(strategy).rackMode(random.nextBoolean() ? RackMode.ACROSS : RackMode.WITHIN);
        if (random.nextBoolean()) {
            builder.maxPairsAtOnce(1 + random.nextInt(Math.max(1, nodes / 3)));
        }
        // small fleets have too few samples for relative thresholds: there the floor decides, as users set it
        if (nodes < 200 || random.nextInt(4) == 0) {
            builder.minLinkGbps(150.0);
        }
        int racksOfThree = nodes / rackSize + (nodes % rackSize >= 3 ? 1 : 0);
        boolean fleetRail = rails >= 3 && random.nextInt(3) == 0;
        builder.badRails(fleetRail ? 1 : 0);
        // a rail bad in a rack touches all of the rack's nodes: it counts against the quarter
        int budget = nodes / 4;
        if (racksOfThree >= 4 && rails - (fleetRail ? 1 : 0) >= 1 && random.nextBoolean()) {
            int rackRails = Math.min(1 + random.nextInt(2), budget / (2 * rackSize));
            builder.badRackRails(rackRails);
            budget -= rackRails * rackSize;
        }
        int badNodes = random.nextInt(budget / 2 + 1);
        budget -= badNodes;
        int badLinks = random.nextInt(budget / 2 + 1);
        budget -= badLinks;
        int paths = random.nextInt(budget / 4 + 1);
        budget -= 2 * paths;
        int flaky = random.nextInt(budget + 1) / 2;
        builder.badNodes(badNodes).badLinks(badLinks).badPaths(paths).flaky(flaky);
        builder.offSubnet(random.nextInt(3));
        return builder.build();
    }

    private static String describe(SimConfig c) {
        return "seed " + c.seed() + ": --nodes " + c.nodes() + " --rails " + c.rails() + " --rack-size " + c.rackSize()
                + " --strategy " + strategy(c) + " --max-pairs " + c.maxPairsAtOnce()
                + (c.minLinkGbps() == null ? "" : " --min-link-gbps " + c.minLinkGbps())
                + " --bad-nodes " + c.badNodes() + " --bad-links " + c.badLinks() + " --bad-paths " + c.badPaths()
                + " --bad-rails " + c.badRails() + " --bad-rack-rails " + c.badRackRails() + " --flaky " + c.flaky()
                + " --off-subnet " + c.offSubnet();
    }

    private static String strategy(SimConfig c) {
        return switch (c.strategy()) {
            case RANDOM -> "random";
            case RING -> "ring";
            case RACK -> c.rackMode() == RackMode.ACROSS ? "rack-across" : "rack-within";
        };
    }

    private static void check(SimConfig config) {
        assertTrue(config.touchedNodes() + config.badRackRails() * config.rackSize() <= config.nodes() / 4);
        Simulation.Outcome outcome = Simulation.run(config);
        Score score = outcome.score();
        String report = FleetAttributionBench.report(outcome);
        assertTrue(score.wrong().isEmpty(), "healthy convicted\n" + report);
        assertTrue(score.missed().isEmpty(), "faults missed\n" + report);
        assertTrue(outcome.report().rounds() <= 3, report);
        assertTrue(score.unqualifiedMissed().isEmpty(), "off-subnet nodes not Unqualified\n" + report);
        assertEquals(0, score.inconclusive(), "no suspect lacks good partners while faults touch a quarter\n" + report);
    }
}
