package dev.neper.fleet.operator.fleet.planning;

import dev.neper.fleet.operator.fleet.wave.LinkMeasurement;
import dev.neper.fleet.operator.fleet.wave.PlannedLink;
import dev.neper.fleet.operator.fleet.wave.PlannedPair;
import dev.neper.fleet.operator.fleet.wave.Purpose;
import dev.neper.fleet.operator.fleet.wave.Wave;
import dev.neper.fleet.operator.fleet.wave.WaveResult;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks a run's results against the waves the planner gives again, checking each result belongs to its
 * wave. A planned link without a measurement fails as NoResult; a measurement of an unplanned link is
 * refused, since it means the results and the plan disagree.
 */
final class Replay {
    /** A measurement with the round and purpose of its pair. */
    record Measured(int round, Purpose purpose, LinkMeasurement measurement) {
    }

    private final List<WaveResult> results;
    private final List<Measured> measured = new ArrayList<>();
    private int next;
    private int pairTests;

    Replay(List<WaveResult> results) {
        this.results = results;
    }

    /** Whether the wave has a result; if so its measurements join {@link #measured()}. */
    boolean consume(Wave wave) {
        if (next == results.size()) {
            return false;
        }
        WaveResult result = results.get(next);
        if (result.round() != wave.round() || result.index() != wave.index()) {
            throw new IllegalArgumentException("result " + (next + 1) + " is for round " + result.round() + " wave "
                    + result.index() + ", but the plan's next wave is round " + wave.round() + " wave " + wave.index());
        }
        Map<String, LinkMeasurement> byLink = new HashMap<>();
        for (LinkMeasurement m : result.links()) {
            if (byLink.put(key(m.server(), m.client(), m.device()), m) != null) {
                throw new IllegalArgumentException("round " + wave.round() + " wave " + wave.index() + " measured "
                        + m.server() + "/" + m.client() + " " + m.device() + " twice");
            }
        }
        for (PlannedPair pair : wave.pairs()) {
            for (PlannedLink link : pair.links()) {
                LinkMeasurement m = byLink.remove(key(pair.server(), pair.client(), link.device()));
                if (m == null) {
                    m = LinkMeasurement.failed(pair.server(), pair.client(), link.device(), "NoResult",
                            "the wave's results have no measurement for this link");
                }
                measured.add(new Measured(wave.round(), pair.purpose(), m));
            }
        }
        if (!byLink.isEmpty()) {
            LinkMeasurement stray = byLink.values().iterator().next();
            throw new IllegalArgumentException("round " + wave.round() + " wave " + wave.index() + " did not plan "
                    + stray.server() + "/" + stray.client() + " " + stray.device());
        }
        pairTests += wave.pairs().size();
        next++;
        return true;
    }

    List<Measured> measured() {
        return measured;
    }

    int waves() {
        return next;
    }

    int pairTests() {
        return pairTests;
    }

    /** Results beyond what the plan asked for mean the two disagree. */
    void checkAllConsumed() {
        if (next < results.size()) {
            throw new IllegalArgumentException((results.size() - next) + " result(s) beyond the plan's last wave");
        }
    }

    private static String key(String server, String client, String device) {
        return server + "\n" + client + "\n" + device;
    }
}
