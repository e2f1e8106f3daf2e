package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

/**
 * What to test and how. Absent optional fields take the defaults named here (the API server fills
 * them from the schema; the operator applies the same defaults when it reads a spec that skipped
 * defaulting, such as one created against a test server).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
// Rules sit on the type, not on record components: the CRD generator reads a component's rule from
// both its field and its accessor and would list it twice.
@ValidationRule(value = "!has(self.duration) || (duration(self.duration) >= duration('1s')"
        + " && duration(self.duration) <= duration('1h'))",
        message = "duration must be between 1s and 1h")
// the pairs' rules hold vacuously without pairs: a fleet test's template is a spec without them
@ValidationRule(value = "!has(self.pairs) || self.pairs.all(p, self.pairs.exists_one(q, q.server.node == p.server.node))",
        message = "a node may be the server of only one pair")
@ValidationRule(value = "!has(self.pairs) || self.pairs.all(p, self.pairs.exists_one(q, q.client.node == p.client.node))",
        message = "a node may be the client of only one pair")
@ValidationRule(value = "!has(self.threads) || self.threads <= (has(self.flows) ? self.flows : 1)",
        message = "threads must not exceed flows: each thread drives at least one flow of a link")
@ValidationRule(value = "self.mode != 'host' || ((!has(self.rxCopy) || !self.rxCopy)"
        + " && !has(self.physLen) && !has(self.queueStart) && !has(self.queueNum))",
        message = "rxCopy, physLen, queueStart and queueNum configure device memory and need mode udmabuf or cuda")
@ValidationRule(value = "self.mode == 'host' || (has(self.threads) ? self.threads : 1) == (has(self.flows) ? self.flows : 1)",
        message = "udmabuf and cuda modes need threads = flows: the devmem data path steers flow i, on thread i and data"
                + " port i, to its own queue")
@ValidationRule(value = "self.mode == 'host' || !has(self.ports) || !has(self.ports.dataPortsPerLink)"
        + " || self.ports.dataPortsPerLink == (has(self.flows) ? self.flows : 1)",
        message = "udmabuf and cuda modes need ports.dataPortsPerLink = flows (one data port per flow)")
@ValidationRule(value = "self.mode != 'host' || !has(self.pairs) || self.pairs.all(p, p.links.all(l, !has(l.server) && !has(l.client)))",
        message = "NIC and GPU PCI addresses (links[].server, links[].client) need mode udmabuf or cuda")
@ValidationRule(value = "self.mode == 'cuda' || !has(self.runner) || !has(self.runner.gpusPerNode)",
        message = "runner.gpusPerNode applies to mode cuda only")
public record NeperTestSpec(
        @Required
        @JsonPropertyDescription("Where payloads live: host (plain TCP through host memory), udmabuf (devmem TCP into a"
                + " udmabuf) or cuda (devmem TCP into GPU memory). The seed's --mode.")
        Mode mode,

        @Default(DEFAULT_DURATION)
        @Pattern(DURATION_PATTERN)
        @JsonPropertyDescription("How long the clients send, in whole seconds with h/m/s units (30s, 2m, 1m30s);"
                + " 1s to 1h. neper's --test-length.")
        String duration,

        @Default("1") @Min(1) @Max(MAX_FLOWS)
        @JsonPropertyDescription("TCP flows per link. neper's --num-flows, applied to every link.")
        Integer flows,

        @Default("1") @Min(1) @Max(MAX_FLOWS)
        @JsonPropertyDescription("Threads per link; at most flows, and equal to flows in udmabuf and cuda modes."
                + " neper's --num-threads, applied to every link.")
        Integer threads,

        @Min(1) @Max(1 << 30)
        @JsonPropertyDescription("Bytes per send and receive call. neper's --buffer-size; when absent the runner's"
                + " default (16384, neper's). The seed uses 409600 for devmem.")
        Integer bufferSize,

        @Default("false")
        @JsonPropertyDescription("The sender sends neper's repeating 1..111 pattern and the receiver checks every byte,"
                + " reporting validated bytes and mismatches per link. neper's --tcpd-validate; every mode.")
        Boolean validate,

        @Default("false")
        @JsonPropertyDescription("Copy each received device-memory fragment into a host buffer (without validating)."
                + " neper's --tcpd-rx-cpy; udmabuf and cuda modes only.")
        Boolean rxCopy,

        @Min(1)
        @JsonPropertyDescription("Bytes of device memory per link for receive buffers. neper's --tcpd-phys-len;"
                + " udmabuf and cuda modes only; the seed uses 2147483648 in cuda mode.")
        Long physLen,

        @Min(1) @Max(1023)
        @JsonPropertyDescription("First NIC receive queue that flows are steered to (queues below it keep other traffic)."
                + " neper's --queue-start; udmabuf and cuda modes only; when absent the runner's default, 8.")
        Integer queueStart,

        @Min(1) @Max(1024)
        @JsonPropertyDescription("Number of NIC receive queues flows are steered to, at least flows. neper's --queue-num;"
                + " udmabuf and cuda modes only; when absent the runner's default, 4; the seed sets it to flows.")
        Integer queueNum,

        @JsonPropertyDescription("TCP ports the runners use on every node.")
        Ports ports,

        @JsonPropertyDescription("Pass criteria applied to every link.")
        Thresholds thresholds,

        // required by a rule on NeperTest, not here: a fleet test's template is this type without pairs
        @Size(min = 1, max = MAX_PAIRS)
        @JsonPropertyDescription("Required: the node pairs to test, all at once. A node is the server of at most one pair and"
                + " the client of at most one pair (it may be both, for ring topologies).")
        List<Pair> pairs,

        @JsonPropertyDescription("The runner container: image and host paths.")
        RunnerSettings runner,

        @JsonPropertyDescription("Pod placement and what happens to pods after the test.")
        PodSettings pods,

        @JsonPropertyDescription("Time limits after which the test (or a pair) fails.")
        Deadlines deadlines) {

    public static final String DEFAULT_DURATION = "10s";
    /** Go-style durations with whole seconds, as Kubernetes writes them: 30s, 2m, 1h, 1m30s. */
    public static final String DURATION_PATTERN = "^([0-9]+h([0-9]+m)?([0-9]+s)?|[0-9]+m([0-9]+s)?|[0-9]+s)$";
    public static final int MAX_FLOWS = 1024;
    /** 500 pairs is a 1,000-node fleet; the bound also keeps the pairwise CEL rules within the API server's cost budget. */
    public static final int MAX_PAIRS = 500;

    public int flowsPerLink() {
        return flows == null ? 1 : flows;
    }

    public int threadsPerLink() {
        return threads == null ? 1 : threads;
    }

    public boolean validatePayload() {
        return Boolean.TRUE.equals(validate);
    }

    public boolean copyReceived() {
        return Boolean.TRUE.equals(rxCopy);
    }

    public String durationText() {
        return duration == null ? DEFAULT_DURATION : duration;
    }

    public Ports portsOrDefault() {
        return ports == null ? Ports.DEFAULT : ports;
    }

    /** neper's --num-ports: devmem modes need one data port per flow. */
    public int dataPortsPerLink() {
        return portsOrDefault().perLink(mode != null && mode.isDevmem() ? flowsPerLink() : 0);
    }

    public Thresholds thresholdsOrDefault() {
        return thresholds == null ? Thresholds.NONE : thresholds;
    }

    public RunnerSettings runnerOrDefault() {
        return runner == null ? RunnerSettings.DEFAULT : runner;
    }

    public PodSettings podsOrDefault() {
        return pods == null ? PodSettings.DEFAULT : pods;
    }

    public Deadlines deadlinesOrDefault() {
        return deadlines == null ? Deadlines.DEFAULT : deadlines;
    }

    public List<Pair> pairList() {
        return pairs == null ? List.of() : pairs;
    }

    /** These settings over other pairs: a fleet run's template made a wave's child test. */
    public NeperTestSpec withPairs(List<Pair> pairs) {
        return new NeperTestSpec(mode, duration, flows, threads, bufferSize, validate, rxCopy, physLen, queueStart,
                queueNum, ports, thresholds, List.copyOf(pairs), runner, pods, deadlines);
    }
}
