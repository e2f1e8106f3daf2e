package dev.neper.fleet.operator.validate;

import dev.neper.fleet.operator.api.Endpoint;
import dev.neper.fleet.operator.api.Link;
import dev.neper.fleet.operator.api.Mode;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.Pair;
import dev.neper.fleet.operator.api.Ports;
import dev.neper.fleet.operator.testing.SpecBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator's own spec checks: every problem named with its field, and nothing refused that can run. */
@Tag("unit")
class SpecValidatorTest {

    @Test
    void aSpecThatCanRunHasNoProblem() {
        assertEquals(List.of(), SpecValidator.validate(SpecBuilder.spec().pair("a", "b", 4).pair("c", "d", 2).named("ok")));
        assertEquals(List.of(), SpecValidator.validate(SpecBuilder.spec().mode(Mode.CUDA).flows(2, 2).validate(true)
                .pair("a", "b", 2).named("cuda")));
    }

    @Test
    void everyProblemIsListedWithItsField() {
        NeperTest test = SpecBuilder.spec().flows(1, 4).physLen(1 << 20).pair("a", "a", 1).pair("a", "c", 1)
                .named("x".repeat(64));
        List<String> problems = SpecValidator.validate(test);
        assertHas(problems, "metadata.name: at most 63 characters");
        assertHas(problems, "spec.threads: 4 exceeds flows 1");
        assertHas(problems, "spec: physLen need mode udmabuf or cuda, not host");
        assertHas(problems, "spec.pairs[1].server.node: a is already the server of pairs[0]");
        assertHas(problems, "spec.pairs[0]: server and client are the same node a");
    }

    @Test
    void addressesAreLiteralsOfOneFamilyPerLinkAndDevicesAreInterfaceNames() {
        List<String> problems = SpecValidator.validate(withLinks(
                new Link("eth1", "gpu-node-7.example", "198.18.1.2", null, null),
                new Link("eth2", "198.18.2.1", "2001:db8::2", null, null),
                new Link("eth 3", "198.18.3.1", "198.18.3.2", null, null),
                new Link("eth4", "198.18.4.1", "198.18.4.1", null, null)));
        assertHas(problems, "links[0].serverIP: 'gpu-node-7.example' is not an IPv4 or IPv6 address");
        assertHas(problems, "links[1]: serverIP 198.18.2.1 and clientIP 2001:db8::2 are of different address families");
        assertHas(problems, "links[2].device: 'eth 3' is not an interface name");
        assertHas(problems, "links[3]: serverIP and clientIP are the same address 198.18.4.1");
    }

    @Test
    void portRangesDependOnTheNumberOfLinks() {
        List<String> past = SpecValidator.validate(SpecBuilder.spec().ports(new Ports(65530, null, null))
                .pair("a", "b", 8).named("ports"));
        assertHas(past, "with 8 links the ports run past 65535");
        List<String> overlap = SpecValidator.validate(SpecBuilder.spec().ports(new Ports(20000, 20002, null))
                .pair("a", "b", 4).named("ports"));
        assertHas(overlap, "the control ports 20000-20003 overlap the data ports");
    }

    @Test
    void theRunnersOwnChecksRunOnBothCommandLinesWithTheirMessage() {
        // devmem modes need threads = flows = data ports; the runner's message says why
        List<String> problems = SpecValidator.validate(SpecBuilder.spec().mode(Mode.UDMABUF).flows(4, 2)
                .pair("a", "b", 1).named("devmem"));
        assertHas(problems, "spec.pairs[0].links[0]: the server runner would refuse it: --mode udmabuf needs"
                + " num_threads = num_flows = num_ports");
    }

    @Test
    void aSpecNoNodeHasTheMemoryForIsRefusedEvenWithinEachFieldsLimits() {
        // the schema's own limits: bufferSize up to 1 GiB, threads up to 1024; together 2 TiB of buffers
        List<String> huge = SpecValidator.validate(SpecBuilder.spec().bufferSize(1 << 30).flows(1024, 1024)
                .pair("a", "b", 1).named("huge"));
        assertHas(huge, "spec.pairs[0].links[0]: the server runner would refuse it: -T 1024 -F 1024 -B 1073741824"
                + " needs 2199.02 GB of payload memory, more than the 68.72 GB a runner may take");
        // each link fits (4 threads x 2 x 1 GiB = 8.6 GB), but one runner drives all 16 links of its node
        List<String> perNode = SpecValidator.validate(SpecBuilder.spec().bufferSize(1 << 30).flows(4, 4)
                .pair("a", "b", 16).named("links"));
        assertHas(perNode, "spec.pairs[0].links: the server runner would refuse them: 16 links of -T 4 -F 4"
                + " -B 1073741824 needs 137.44 GB of payload memory");
        assertEquals(List.of(), SpecValidator.validate(SpecBuilder.spec().bufferSize(1 << 30).flows(4, 4)
                .pair("a", "b", 4).named("fits")));
    }

    @Test
    void aMissingSpecOrModeStopsAtOnce() {
        NeperTest noSpec = SpecBuilder.spec().named("none");
        noSpec.setSpec(null);
        assertEquals(List.of("spec: missing"), SpecValidator.validate(noSpec));
        NeperTest noMode = SpecBuilder.spec().mode(null).pair("a", "b", 1).named("nomode");
        assertEquals(List.of("spec.mode: missing; one of host, udmabuf, cuda"), SpecValidator.validate(noMode));
    }

    private static NeperTest withLinks(Link... links) {
        return SpecBuilder.spec().pair(new Pair(new Endpoint("a"), new Endpoint("b"), List.of(links))).named("links");
    }

    private static void assertHas(List<String> problems, String expected) {
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), problems + " should name '" + expected + "'");
    }
}
