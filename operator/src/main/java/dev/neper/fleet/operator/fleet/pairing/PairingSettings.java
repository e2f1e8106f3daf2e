package dev.neper.fleet.operator.fleet.pairing;

/**
 * How round 1 pairs the fleet.
 *
 * @param strategy     random, ring or rack
 * @param seed         the seed of every random choice of the run (round 1's matching, partners, orders)
 * @param ringTimestep the ring strategy's timestep, taken modulo n-1 (record it, and add one next run)
 * @param rackMode     the rack strategy's mode
 */
public record PairingSettings(PairingStrategy strategy, long seed, long ringTimestep, RackMode rackMode) {
    public static PairingSettings random(long seed) {
        return new PairingSettings(PairingStrategy.RANDOM, seed, 0, RackMode.ACROSS);
    }
}
