package dev.neper.fleet.operator.fleet.judging;

import dev.neper.fleet.operator.fleet.wave.LinkMeasurement;
import dev.neper.fleet.operator.fleet.wave.Purpose;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

@Tag("unit")
class LinkJudgeTest {
    private static final double[] RAIL = {188, 189, 190, 190, 191, 192, 189, 190, 191, 190};

    private static Failure judge(JudgingThresholds thresholds, LinkMeasurement m) {
        List<LinkMeasurement> round = new ArrayList<>();
        for (double v : RAIL) {
            round.add(LinkMeasurement.of("s", "c", "eth1", v));
        }
        Map<String, RailStats> stats = LinkJudge.railStats(List.of("eth1"), round);
        return new LinkJudge(thresholds, stats).judge(1, Purpose.FIRST_ROUND, m).failure();
    }

    @Test
    void railStatsAreMinMedianAndMad() {
        RailStats stats = RailStats.of("eth1", RAIL);
        assertEquals(188, stats.min());
        assertEquals(190, stats.median());
        assertEquals(1.0, stats.mad());
        assertEquals(10, stats.samples());
        assertEquals(Double.NaN, RailStats.of("eth2", new double[0]).median());
    }

    @Test
    void anErrorFailsWithItsKind() {
        Failure failure = judge(JudgingThresholds.DEFAULTS, LinkMeasurement.failed("s", "c", "eth1", "LINK_DOWN", "carrier lost"));
        assertEquals(Failure.Kind.ERROR, failure.kind());
        assertEquals("error LINK_DOWN: carrier lost", failure.detail());
        assertEquals("LINK_DOWN", failure.brief());
        assertEquals(Failure.Kind.NO_RESULT, judge(JudgingThresholds.DEFAULTS,
                new LinkMeasurement("s", "c", "eth1", null, null, null)).kind());
    }

    @Test
    void theFloorComesFirst() {
        Failure failure = judge(JudgingThresholds.DEFAULTS.withFloor(150.0), LinkMeasurement.of("s", "c", "eth1", 149));
        assertEquals(Failure.Kind.FLOOR, failure.kind());
        assertEquals("below floor 150.0", failure.detail());
    }

    @Test
    void belowAFractionOfTheMedianFails() {
        Failure failure = judge(JudgingThresholds.DEFAULTS, LinkMeasurement.of("s", "c", "eth1", 170));
        assertEquals(Failure.Kind.MEDIAN, failure.kind());
        assertEquals("below 0.9 x median 190.0", failure.detail());
    }

    @Test
    void robustZUsesAMadOfAtLeastOnePercentOfTheMedian() {
        // the rail's MAD of 1 Gbit/s would make 184 a z of -4.0; the MAD floor of 1.9 Gbit/s makes it -2.1
        assertNull(judge(JudgingThresholds.DEFAULTS, LinkMeasurement.of("s", "c", "eth1", 184)));
        Failure failure = judge(JudgingThresholds.DEFAULTS, LinkMeasurement.of("s", "c", "eth1", 179));
        assertEquals(Failure.Kind.ROBUST_Z, failure.kind());
        assertEquals("robust z -3.9 < -3.5", failure.detail());
        assertEquals("z -3.9", failure.brief());
    }

    @Test
    void relativeTestsWaitForEnoughSamples() {
        JudgingThresholds many = new JudgingThresholds(null, 0.9, -3.5, 0.01, 11);
        assertNull(judge(many, LinkMeasurement.of("s", "c", "eth1", 20)));
    }
}
