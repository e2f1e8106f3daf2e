package dev.neper.fleet.operator.fleettest;

import dev.neper.fleet.operator.api.Endpoint;
import dev.neper.fleet.operator.api.Link;
import dev.neper.fleet.operator.api.NeperFleetTest;
import dev.neper.fleet.operator.api.NeperFleetTestSpec;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.Pair;
import dev.neper.fleet.operator.fleettest.schedule.CronSchedule;
import dev.neper.fleet.operator.validate.SpecValidator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The operator's checks of a fleet test's spec beyond the schema (whose rules an API server may skip):
 * the name's length, the device selection, the selector's operators, and the template as the child
 * NeperTests will carry it, by the NeperTest checks themselves on a child of the longest name over the
 * selected devices (addresses only stand in: discovery supplies the real ones).
 */
public final class FleetSpecChecks {
    private FleetSpecChecks() {
    }

    /** Every problem, each naming the field; empty when the run can start. */
    public static List<String> check(NeperFleetTest fleet) {
        List<String> problems = new ArrayList<>();
        if (fleet.specProblem().isPresent()) {
            problems.add(fleet.specProblem().get());
            return problems;
        }
        String name = fleet.getMetadata().getName();
        if (name != null && name.length() > NeperFleetTest.MAX_NAME) {
            problems.add("metadata.name: at most " + NeperFleetTest.MAX_NAME + " characters (its child NeperTests are"
                    + " named after it), got " + name.length());
        }
        NeperFleetTestSpec spec = fleet.getSpec();
        if (spec == null || spec.nodes() == null || spec.devices() == null || spec.template() == null) {
            problems.add("spec: nodes, devices and template are required");
            return problems;
        }
        String operator = spec.nodes().unknownOperator();
        if (operator != null) {
            problems.add("spec.nodes.selector: unknown operator " + operator + "; In, NotIn, Exists or DoesNotExist");
        }
        List<String> names = spec.devices().nameList();
        if (names.isEmpty() == (spec.devices().pattern() == null)) {
            problems.add("spec.devices: select devices either by names or by a pattern");
            return problems;
        }
        if (spec.devices().pattern() != null) {
            try {
                Pattern.compile(spec.devices().pattern());
            } catch (PatternSyntaxException e) {
                problems.add("spec.devices.pattern: not a regular expression: " + e.getDescription());
            }
        }
        if (spec.schedule() != null) {
            try {
                CronSchedule.of(spec.schedule());
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (spec.template().thresholds() != null) {
            problems.add("spec.template.thresholds: a fleet run judges throughput itself: set spec.judging.minLinkGbps");
        }
        if (spec.pairingOrDefault().strategyOrDefault() == dev.neper.fleet.operator.api.FleetPairing.Strategy.RACK
                && spec.pairingOrDefault().topologyKey() == null) {
            problems.add("spec.pairing.topologyKey: the rack strategy needs the node label that names a node's rack");
        }
        checkNumbers(spec, problems);
        if (problems.isEmpty()) {
            problems.addAll(checkTemplate(fleet, names.isEmpty() ? List.of("eth1") : names));
        }
        return problems;
    }

    /** The schema's bounds on the thresholds, for API servers that skip them. */
    private static void checkNumbers(NeperFleetTestSpec spec, List<String> problems) {
        var judging = spec.judgingOrDefault();
        var attribution = spec.attributionOrDefault();
        range(problems, "spec.judging.minLinkGbps", judging.minLinkGbps(), 0, Double.MAX_VALUE);
        range(problems, "spec.judging.minFractionOfMedian", judging.minFractionOfMedian(), 0, 1);
        range(problems, "spec.judging.minRobustZ", judging.minRobustZ(), -Double.MAX_VALUE, 0);
        range(problems, "spec.judging.minMadFraction", judging.minMadFraction(), 0, 1);
        range(problems, "spec.judging.minSamples", judging.minSamples(), 2, Integer.MAX_VALUE);
        range(problems, "spec.attribution.goodPartners", attribution.goodPartners(), 2, 8);
        range(problems, "spec.attribution.nodeFaultShare", attribution.nodeFaultShare(), 0, 1);
        range(problems, "spec.attribution.railFleetShare", attribution.railFleetShare(), 0, 1);
        range(problems, "spec.attribution.railMedianFraction", attribution.railMedianFraction(), 0, 1);
        range(problems, "spec.attribution.rackRailShare", attribution.rackRailShare(), 0, 1);
        range(problems, "spec.attribution.minRackNodes", attribution.minRackNodes(), 1, Integer.MAX_VALUE);
        range(problems, "spec.maxPairsAtOnce", spec.maxPairsAtOnce(), 0, 100_000);
        range(problems, "spec.pairing.ringTimestep", spec.pairingOrDefault().ringTimestep(), 0, Long.MAX_VALUE);
    }

    private static void range(List<String> problems, String field, Number value, double min, double max) {
        if (value != null && (value.doubleValue() < min || value.doubleValue() > max || Double.isNaN(value.doubleValue()))) {
            problems.add(field + ": " + value + " is outside " + bound(min) + " to " + bound(max));
        }
    }

    private static String bound(double value) {
        return Math.abs(value) >= Integer.MAX_VALUE ? (value < 0 ? "-inf" : "inf")
                : value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    /** The template's problems as a child over {@code rails} would have them, with the template's field names. */
    public static List<String> checkTemplate(NeperFleetTest fleet, List<String> rails) {
        List<Link> links = new ArrayList<>();
        for (int i = 0; i < rails.size(); i++) {
            links.add(new Link(rails.get(i), "198.18." + i + ".1", "198.18." + i + ".2", null, null));
        }
        NeperTest child = new NeperTest();
        child.setMetadata(new ObjectMetaBuilder().withName(fleet.getMetadata().getName() + "-20260101-000000-r3w99-p99")
                .build());
        child.setSpec(fleet.getSpec().template().withPairs(List.of(new Pair(new Endpoint("a"), new Endpoint("b"), links))));
        return SpecValidator.validate(child).stream()
                .filter(p -> !p.startsWith("metadata.name"))
                .map(p -> p.replace("spec.pairs[0]", "spec.template (over " + rails.size() + " devices)")
                        .replaceFirst("^spec\\.", "spec.template."))
                .toList();
    }
}
