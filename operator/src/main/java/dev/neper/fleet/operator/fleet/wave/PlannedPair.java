package dev.neper.fleet.operator.fleet.wave;

import java.util.List;

/**
 * Two nodes tested together over one or more rails at once.
 *
 * @param server  the receiving node
 * @param client  the sending node
 * @param links   the rails tested, one link each
 * @param purpose why this pair is tested
 */
public record PlannedPair(String server, String client, List<PlannedLink> links, Purpose purpose) {
    public PlannedPair {
        links = List.copyOf(links);
        if (server.equals(client)) {
            throw new IllegalArgumentException("a pair needs two nodes, not " + server + " twice");
        }
        if (links.isEmpty()) {
            throw new IllegalArgumentException("pair " + server + "/" + client + " has no link");
        }
    }
}
