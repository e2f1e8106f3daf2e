package dev.neper.fleet.operator.testing;

import dev.neper.fleet.operator.api.Deadlines;
import dev.neper.fleet.operator.api.Endpoint;
import dev.neper.fleet.operator.api.Link;
import dev.neper.fleet.operator.api.Mode;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.NeperTestSpec;
import dev.neper.fleet.operator.api.Pair;
import dev.neper.fleet.operator.api.PodSettings;
import dev.neper.fleet.operator.api.Ports;
import dev.neper.fleet.operator.api.RunnerSettings;
import dev.neper.fleet.operator.api.Thresholds;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.util.ArrayList;
import java.util.List;

/** Builds NeperTests for tests; addresses come from 198.18.0.0/15 only. */
public final class SpecBuilder {
    private Mode mode = Mode.HOST;
    private String duration = "10s";
    private Integer flows;
    private Integer threads;
    private Integer bufferSize;
    private Boolean validate;
    private Long physLen;
    private Ports ports;
    private Thresholds thresholds;
    private RunnerSettings runner;
    private PodSettings pods;
    private Deadlines deadlines = new Deadlines("1m", null);
    private final List<Pair> pairs = new ArrayList<>();

    public static SpecBuilder spec() {
        return new SpecBuilder();
    }

    /** A pair with {@code links} links eth1..ethN; addresses 198.18.(pair*16+link).{1,2}. */
    public SpecBuilder pair(String server, String client, int links) {
        int index = pairs.size();
        List<Link> list = new ArrayList<>();
        for (int i = 1; i <= links; i++) {
            String net = "198." + (18 + (index * 16 + i) / 256) + "." + ((index * 16 + i) % 256) + ".";
            list.add(new Link("eth" + i, net + "1", net + "2", null, null));
        }
        pairs.add(new Pair(new Endpoint(server), new Endpoint(client), list));
        return this;
    }

    public SpecBuilder pair(Pair pair) {
        pairs.add(pair);
        return this;
    }

    public SpecBuilder mode(Mode mode) {
        this.mode = mode;
        return this;
    }

    public SpecBuilder duration(String duration) {
        this.duration = duration;
        return this;
    }

    public SpecBuilder flows(int flows, int threads) {
        this.flows = flows;
        this.threads = threads;
        return this;
    }

    public SpecBuilder bufferSize(int bufferSize) {
        this.bufferSize = bufferSize;
        return this;
    }

    public SpecBuilder validate(boolean validate) {
        this.validate = validate;
        return this;
    }

    public SpecBuilder physLen(long physLen) {
        this.physLen = physLen;
        return this;
    }

    public SpecBuilder ports(Ports ports) {
        this.ports = ports;
        return this;
    }

    public SpecBuilder minLinkGbps(double gbps) {
        this.thresholds = new Thresholds(gbps);
        return this;
    }

    public SpecBuilder runner(RunnerSettings runner) {
        this.runner = runner;
        return this;
    }

    public SpecBuilder pods(PodSettings pods) {
        this.pods = pods;
        return this;
    }

    public SpecBuilder deadlines(String start, String finish) {
        this.deadlines = new Deadlines(start, finish);
        return this;
    }

    public NeperTestSpec build() {
        return new NeperTestSpec(mode, duration, flows, threads, bufferSize, validate, null, physLen, null, null,
                ports, thresholds, List.copyOf(pairs), runner, pods, deadlines);
    }

    public NeperTest named(String name) {
        NeperTest test = new NeperTest();
        test.setMetadata(new ObjectMetaBuilder().withName(name).build());
        test.setSpec(build());
        return test;
    }

    /** A NeperTest as the API server returns it (namespace, uid, generation), for the plain unit tests. */
    public NeperTest stored(String name, long generation) {
        NeperTest test = named(name);
        test.getMetadata().setNamespace("unit");
        test.getMetadata().setUid("uid-" + name);
        test.getMetadata().setGeneration(generation);
        test.getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");
        return test;
    }
}
