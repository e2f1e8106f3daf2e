package dev.neper.fleet.operator.fleet.attribution;

import dev.neper.fleet.operator.fleet.judging.JudgedLink;
import dev.neper.fleet.operator.fleet.wave.Purpose;

import java.util.List;

/**
 * One device of one node and the tests that classify it.
 *
 * @param node             the node
 * @param rail             the device
 * @param kind             its class
 * @param roundOne         its round-1 tests
 * @param withGoodPartners its tests with known-good partners (rounds 2 and 3)
 */
public record DeviceFinding(String node, String rail, DeviceClass kind, List<JudgedLink> roundOne,
                            List<JudgedLink> withGoodPartners) {

    public static DeviceFinding classify(String node, String rail, TestIndex index, RoundOneFindings findings,
                                         AttributionThresholds thresholds) {
        List<JudgedLink> tests = index.of(node, rail);
        List<JudgedLink> roundOne = tests.stream().filter(t -> t.round() == 1).toList();
        if (!findings.suspects().containsKey(node)) {
            return new DeviceFinding(node, rail, DeviceClass.UNTESTED, roundOne, List.of());
        }
        List<JudgedLink> good = tests.stream()
                .filter(t -> t.purpose() == Purpose.GOOD_PARTNER || t.purpose() == Purpose.VOTE).toList();
        long fails = good.stream().filter(t -> !t.passed()).count();
        long passes = good.size() - fails;
        DeviceClass kind;
        if (good.size() < thresholds.goodPartners()) {
            kind = findings.isSuspect(node, rail) ? DeviceClass.INCONCLUSIVE : DeviceClass.UNTESTED;
        } else if (fails > passes) {
            kind = DeviceClass.FAULTY;
        } else if (fails == 0) {
            kind = DeviceClass.CLEAN;
        } else if (fails == passes) {
            kind = DeviceClass.TIED;
        } else {
            kind = DeviceClass.FLAKY;
        }
        return new DeviceFinding(node, rail, kind, roundOne, good);
    }

    public long goodPartnerFailures() {
        return withGoodPartners.stream().filter(t -> !t.passed()).count();
    }

    /** Its round-1 tests then its good-partner tests. */
    public List<JudgedLink> evidence() {
        return java.util.stream.Stream.concat(roundOne.stream(), withGoodPartners.stream()).toList();
    }
}
