package dev.neper.fleet.operator.run;

import dev.neper.fleet.operator.api.Pair;
import dev.neper.fleet.operator.api.PairStatus;
import dev.neper.fleet.operator.observe.ObservedPod;

/**
 * What the planner knows of one pair: its spec, its status as last computed for this run (null
 * before the run), its current pods (null when absent) and whether its nodes exist.
 */
public record PairInputs(int index, Pair pair, PairStatus previous, ObservedPod server, ObservedPod client,
                         boolean serverNodeExists, boolean clientNodeExists) {

    public String label() {
        return "pair " + index + " (" + pair.server().node() + " -> " + pair.client().node() + ")";
    }
}
