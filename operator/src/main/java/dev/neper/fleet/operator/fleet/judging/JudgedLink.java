package dev.neper.fleet.operator.fleet.judging;

import dev.neper.fleet.operator.fleet.wave.Purpose;

/**
 * One link test and its judgement: the unit of evidence.
 *
 * @param round   the round it ran in
 * @param purpose why its pair was tested
 * @param server  the pair's server node
 * @param client  the pair's client node
 * @param device  the rail
 * @param gbps    its throughput, or null
 * @param failure why it failed, or null when it passed
 */
public record JudgedLink(int round, Purpose purpose, String server, String client, String device, Double gbps,
                         Failure failure) {
    public boolean passed() {
        return failure == null;
    }

    public boolean involves(String node) {
        return server.equals(node) || client.equals(node);
    }

    public String peerOf(String node) {
        return server.equals(node) ? client : server;
    }
}
