package dev.neper.fleet.operator.fleet.planning;

import dev.neper.fleet.operator.fleet.wave.PlannedPair;
import dev.neper.fleet.operator.fleet.wave.Wave;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Splits a round's pairs into waves: each pair goes into the first wave where neither node is busy and
 * that has room. First fit keeps the waves few when a node (a good partner) is in several pairs.
 */
final class WavePacker {
    private WavePacker() {
    }

    static List<Wave> pack(int round, List<PlannedPair> pairs, int maxPairsAtOnce) {
        List<List<PlannedPair>> waves = new ArrayList<>();
        List<Set<String>> busy = new ArrayList<>();
        for (PlannedPair pair : pairs) {
            int w = 0;
            while (w < waves.size() && (busy.get(w).contains(pair.server()) || busy.get(w).contains(pair.client())
                    || (maxPairsAtOnce > 0 && waves.get(w).size() >= maxPairsAtOnce))) {
                w++;
            }
            if (w == waves.size()) {
                waves.add(new ArrayList<>());
                busy.add(new HashSet<>());
            }
            waves.get(w).add(pair);
            busy.get(w).add(pair.server());
            busy.get(w).add(pair.client());
        }
        List<Wave> result = new ArrayList<>();
        for (int i = 0; i < waves.size(); i++) {
            result.add(new Wave(round, i + 1, waves.get(i)));
        }
        return result;
    }
}
