package dev.neper.fleet.operator.fleet.sim;

import dev.neper.fleet.operator.fleet.pairing.PairingStrategy;
import dev.neper.fleet.operator.fleet.pairing.RackMode;

/**
 * A simulated fleet and the faults injected into it.
 *
 * @param nodes          nodes
 * @param rails          devices per node, eth1..ethR
 * @param rackSize       nodes per rack
 * @param badNodes       nodes with every device slowed or failing
 * @param badLinks       devices slowed or failing, each on a different healthy node
 * @param badPaths       pairs round 1 tests whose path on one rail is slowed or failing
 * @param badRails       rails slowed or failing fleet-wide
 * @param badRackRails   rails slowed or failing in one rack each (needs 4 racks or more)
 * @param flaky          devices that fail their first test only
 * @param offSubnet      nodes with one address outside the rail's subnet (Unqualified)
 * @param errorShare     the share of faults that are errors rather than slowdowns
 * @param jitter         the healthy throughput's relative standard deviation
 * @param minLinkGbps    the floor, or null for relative thresholds only
 * @param strategy       round 1's pairing
 * @param rackMode       the rack strategy's mode
 * @param maxPairsAtOnce the wave limit, 0 for none
 * @param seed           the seed of the faults, the noise and the run
 */
public record SimConfig(int nodes, int rails, int rackSize, int badNodes, int badLinks, int badPaths, int badRails,
                        int badRackRails, int flaky, int offSubnet, double errorShare, double jitter, Double minLinkGbps,
                        PairingStrategy strategy, RackMode rackMode, int maxPairsAtOnce, long seed) {
    public static final double NOMINAL_GBPS = 190;

    /** Nodes that a node-level fault touches: bad nodes, bad links, flaky devices, both ends of bad paths. */
    public int touchedNodes() {
        return badNodes + badLinks + flaky + 2 * badPaths;
    }

    public static Builder builder(int nodes, int rails, long seed) {
        return new Builder(nodes, rails, seed);
    }

    /** Defaults: racks of 16, no fault, a quarter of faults as errors, 2% jitter, random pairing, no floor or limit. */
    public static final class Builder {
        private final int nodes;
        private final int rails;
        private final long seed;
        private int rackSize = 16;
        private int badNodes;
        private int badLinks;
        private int badPaths;
        private int badRails;
        private int badRackRails;
        private int flaky;
        private int offSubnet;
        private double errorShare = 0.25;
        private double jitter = 0.02;
        private Double minLinkGbps;
        private PairingStrategy strategy = PairingStrategy.RANDOM;
        private RackMode rackMode = RackMode.ACROSS;
        private int maxPairsAtOnce;

        private Builder(int nodes, int rails, long seed) {
            this.nodes = nodes;
            this.rails = rails;
            this.seed = seed;
        }

        public Builder rackSize(int value) { rackSize = value; return this; }
        public Builder badNodes(int value) { badNodes = value; return this; }
        public Builder badLinks(int value) { badLinks = value; return this; }
        public Builder badPaths(int value) { badPaths = value; return this; }
        public Builder badRails(int value) { badRails = value; return this; }
        public Builder badRackRails(int value) { badRackRails = value; return this; }
        public Builder flaky(int value) { flaky = value; return this; }
        public Builder offSubnet(int value) { offSubnet = value; return this; }
        public Builder errorShare(double value) { errorShare = value; return this; }
        public Builder jitter(double value) { jitter = value; return this; }
        public Builder minLinkGbps(Double value) { minLinkGbps = value; return this; }
        public Builder strategy(PairingStrategy value) { strategy = value; return this; }
        public Builder rackMode(RackMode value) { rackMode = value; return this; }
        public Builder maxPairsAtOnce(int value) { maxPairsAtOnce = value; return this; }

        public SimConfig build() {
            return new SimConfig(nodes, rails, rackSize, badNodes, badLinks, badPaths, badRails, badRackRails, flaky,
                    offSubnet, errorShare, jitter, minLinkGbps, strategy, rackMode, maxPairsAtOnce, seed);
        }
    }
}
