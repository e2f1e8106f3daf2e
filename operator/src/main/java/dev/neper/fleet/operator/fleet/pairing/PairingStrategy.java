package dev.neper.fleet.operator.fleet.pairing;

/** How round 1 pairs the fleet. */
public enum PairingStrategy {
    /** A random perfect matching drawn from the seed. */
    RANDOM,
    /**
     * One timestep of a round-robin tournament over the nodes in name order (the circle method, as
     * Autopilot's rotated rings): timesteps 0 to n-2 together pair every node with every other once, so
     * a run that takes the previous run's timestep plus one tests new pairs.
     */
    RING,
    /** Across racks (every pair spans two racks where the racks' sizes allow) or within racks. */
    RACK
}
