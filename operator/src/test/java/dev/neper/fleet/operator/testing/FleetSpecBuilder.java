package dev.neper.fleet.operator.testing;

import dev.neper.fleet.operator.api.Deadlines;
import dev.neper.fleet.operator.api.FleetDevices;
import dev.neper.fleet.operator.api.FleetHistory;
import dev.neper.fleet.operator.api.FleetJudging;
import dev.neper.fleet.operator.api.FleetMarking;
import dev.neper.fleet.operator.api.FleetSchedule;
import dev.neper.fleet.operator.api.FleetNodes;
import dev.neper.fleet.operator.api.FleetPairing;
import dev.neper.fleet.operator.api.Mode;
import dev.neper.fleet.operator.api.NeperFleetTest;
import dev.neper.fleet.operator.api.NeperFleetTestSpec;
import dev.neper.fleet.operator.api.NeperTestSpec;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.util.List;
import java.util.Map;

/** Builds NeperFleetTests for tests: nodes by one label, devices by name, host mode, a floor. */
public final class FleetSpecBuilder {
    private Map<String, String> selector = Map.of();
    private List<String> exclude = List.of();
    private List<String> devices = List.of("eth1", "eth2");
    private String pattern;
    private Mode mode = Mode.HOST;
    private Double minLinkGbps = 100.0;
    private FleetPairing pairing;
    private Integer maxPairsAtOnce;
    private String startDeadline = "1m";
    private FleetSchedule schedule;
    private FleetHistory history;
    private FleetMarking marking;

    public static FleetSpecBuilder fleetSpec() {
        return new FleetSpecBuilder();
    }

    public FleetSpecBuilder selector(Map<String, String> labels) {
        this.selector = labels;
        return this;
    }

    public FleetSpecBuilder exclude(String... nodes) {
        this.exclude = List.of(nodes);
        return this;
    }

    public FleetSpecBuilder devices(List<String> devices) {
        this.devices = devices;
        this.pattern = null;
        return this;
    }

    public FleetSpecBuilder pattern(String pattern) {
        this.pattern = pattern;
        this.devices = null;
        return this;
    }

    public FleetSpecBuilder mode(Mode mode) {
        this.mode = mode;
        return this;
    }

    public FleetSpecBuilder minLinkGbps(Double gbps) {
        this.minLinkGbps = gbps;
        return this;
    }

    public FleetSpecBuilder pairing(FleetPairing pairing) {
        this.pairing = pairing;
        return this;
    }

    public FleetSpecBuilder maxPairsAtOnce(int pairs) {
        this.maxPairsAtOnce = pairs;
        return this;
    }

    public FleetSpecBuilder startDeadline(String deadline) {
        this.startDeadline = deadline;
        return this;
    }

    public FleetSpecBuilder schedule(FleetSchedule schedule) {
        this.schedule = schedule;
        return this;
    }

    public FleetSpecBuilder history(FleetHistory history) {
        this.history = history;
        return this;
    }

    public FleetSpecBuilder marking(FleetMarking marking) {
        this.marking = marking;
        return this;
    }

    public NeperFleetTestSpec build() {
        NeperTestSpec template = new NeperTestSpec(mode, "10s", null, null, null, null, null, null, null, null, null,
                null, null, null, null, new Deadlines(startDeadline, null));
        return new NeperFleetTestSpec(new FleetNodes(new LabelSelectorBuilder().withMatchLabels(selector).build(), exclude),
                new FleetDevices(devices, pattern), template, pairing == null ? new FleetPairing(null, 7L, null, null, null)
                        : pairing, new FleetJudging(minLinkGbps, null, null, null, null), null, maxPairsAtOnce, schedule, history,
                marking);
    }

    public NeperFleetTest named(String name) {
        NeperFleetTest test = new NeperFleetTest();
        test.setMetadata(new ObjectMetaBuilder().withName(name).build());
        test.setSpec(build());
        return test;
    }
}
