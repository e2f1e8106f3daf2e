package dev.neper.fleet.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.testing.Generated;
import dev.neper.fleet.operator.validate.SpecValidator;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad specs are refused at apply time by the generated CRD's schema (OpenAPI and CEL, evaluated here
 * as the API server would), with a message saying what is wrong; and the operator's own checks
 * refuse them too, for API servers that skip the schema's rules. Some mistakes only the operator
 * can see; those pass the schema and are refused by the operator.
 */
@Tag("unit")
class CrdSchemaTest {
    private static final String GOOD_LINKS = """
                links:
                - {device: eth1, serverIP: 198.18.1.1, clientIP: 198.18.1.2}
                - {device: eth2, serverIP: 198.18.2.1, clientIP: 198.18.2.2}
            """;

    private static CrdSchema schema;

    @BeforeAll
    static void load() throws IOException {
        schema = CrdSchema.load(Generated.CRD);
    }

    static Stream<Arguments> refusedBySchema() {
        return Stream.of(
                Arguments.of("no pairs", spec("mode: host\npairs: []"), "must have at least 1 items"),
                Arguments.of("pairs missing", spec("mode: host"), "spec.pairs is required"),
                Arguments.of("mode missing", spec(pairs("a", "b", GOOD_LINKS)), "required property 'mode' not found"),
                Arguments.of("unknown mode", spec("mode: rdma\n" + pairs("a", "b", GOOD_LINKS)), "does not have a value in the enumeration"),
                Arguments.of("server and client the same node", spec("mode: host\n" + pairs("a", "a", GOOD_LINKS)),
                        "a pair's server and client must be different nodes"),
                Arguments.of("a device twice", spec("mode: host\n" + pairs("a", "b", """
                            links:
                            - {device: eth1, serverIP: 198.18.1.1, clientIP: 198.18.1.2}
                            - {device: eth1, serverIP: 198.18.2.1, clientIP: 198.18.2.2}
                        """)), "a device appears at most once in a pair"),
                Arguments.of("a server IP twice", spec("mode: host\n" + pairs("a", "b", """
                            links:
                            - {device: eth1, serverIP: 198.18.1.1, clientIP: 198.18.1.2}
                            - {device: eth2, serverIP: 198.18.1.1, clientIP: 198.18.2.2}
                        """)), "a server IP appears at most once in a pair"),
                Arguments.of("an IP that is not an IP", spec("mode: host\n" + pairs("a", "b", """
                            links:
                            - {device: eth1, serverIP: 198.18.1.300, clientIP: 198.18.1.2}
                        """)), "does not match the regex pattern"),
                Arguments.of("a host name for an IP", spec("mode: host\n" + pairs("a", "b", """
                            links:
                            - {device: eth1, serverIP: node-a.example, clientIP: 198.18.1.2}
                        """)), "does not match the regex pattern"),
                Arguments.of("the same IP on both ends", spec("mode: host\n" + pairs("a", "b", """
                            links:
                            - {device: eth1, serverIP: 198.18.1.1, clientIP: 198.18.1.1}
                        """)), "a link's server and client IPs must differ"),
                Arguments.of("an interface name too long", spec("mode: host\n" + pairs("a", "b", """
                            links:
                            - {device: enp0s31f6-too-long, serverIP: 198.18.1.1, clientIP: 198.18.1.2}
                        """)), "must be at most 15 characters long"),
                Arguments.of("duration zero", spec("mode: host\nduration: 0s\n" + pairs("a", "b", GOOD_LINKS)),
                        "duration must be between 1s and 1h"),
                Arguments.of("duration absurdly long", spec("mode: host\nduration: 30h\n" + pairs("a", "b", GOOD_LINKS)),
                        "duration must be between 1s and 1h"),
                Arguments.of("duration negative", spec("mode: host\nduration: -5s\n" + pairs("a", "b", GOOD_LINKS)),
                        "does not match the regex pattern"),
                Arguments.of("duration with fractions", spec("mode: host\nduration: 1.5s\n" + pairs("a", "b", GOOD_LINKS)),
                        "does not match the regex pattern"),
                Arguments.of("threads above flows", spec("mode: host\nflows: 2\nthreads: 4\n" + pairs("a", "b", GOOD_LINKS)),
                        "threads must not exceed flows"),
                Arguments.of("threads above the default flows", spec("mode: host\nthreads: 2\n" + pairs("a", "b", GOOD_LINKS)),
                        "threads must not exceed flows"),
                Arguments.of("a node serving two pairs", spec("mode: host\n" + pairs("a", "b", GOOD_LINKS)
                        + pairItem("a", "c", GOOD_LINKS)), "a node may be the server of only one pair"),
                Arguments.of("a node the client of two pairs", spec("mode: host\n" + pairs("a", "c", GOOD_LINKS)
                        + pairItem("b", "c", GOOD_LINKS)), "a node may be the client of only one pair"),
                Arguments.of("receive copies in host mode", spec("mode: host\nrxCopy: true\n" + pairs("a", "b", GOOD_LINKS)),
                        "need mode udmabuf or cuda"),
                Arguments.of("fewer threads than flows in cuda mode", spec("mode: cuda\nflows: 4\nthreads: 2\n"
                        + pairs("a", "b", GOOD_LINKS)), "udmabuf and cuda modes need threads = flows"),
                Arguments.of("one data port for two flows in udmabuf mode", spec("mode: udmabuf\nflows: 2\nthreads: 2\n"
                        + "ports: {dataPortsPerLink: 1}\n" + pairs("a", "b", GOOD_LINKS)),
                        "need ports.dataPortsPerLink = flows"),
                Arguments.of("queue 0 for devmem flows", spec("mode: cuda\nqueueStart: 0\n" + pairs("a", "b", GOOD_LINKS)),
                        "must have a minimum value of 1"),
                Arguments.of("physLen in host mode", spec("mode: host\nphysLen: 4096\n" + pairs("a", "b", GOOD_LINKS)),
                        "need mode udmabuf or cuda"),
                Arguments.of("PCI addresses in host mode", spec("mode: host\n" + pairs("a", "b", """
                            links:
                            - {device: eth1, serverIP: 198.18.1.1, clientIP: 198.18.1.2, server: {nic: "0000:06:00.0"}}
                        """)), "NIC and GPU PCI addresses"),
                Arguments.of("a malformed PCI address", spec("mode: cuda\n" + pairs("a", "b", """
                            links:
                            - {device: eth1, serverIP: 198.18.1.1, clientIP: 198.18.1.2, server: {gpu: "04:00.0"}}
                        """)), "does not match the regex pattern"),
                Arguments.of("GPUs outside cuda mode", spec("mode: udmabuf\nrunner: {gpusPerNode: 8}\n" + pairs("a", "b", GOOD_LINKS)),
                        "runner.gpusPerNode applies to mode cuda only"),
                Arguments.of("a privileged control port", spec("mode: host\nports: {control: 80}\n" + pairs("a", "b", GOOD_LINKS)),
                        "must have a minimum value of 1024"),
                Arguments.of("a start deadline of zero", spec("mode: host\ndeadlines: {start: 0s}\n" + pairs("a", "b", GOOD_LINKS)),
                        "deadlines.start must be between 1s and 24h"),
                Arguments.of("a negative threshold", spec("mode: host\nthresholds: {minLinkGbps: -1}\n" + pairs("a", "b", GOOD_LINKS)),
                        "must have a minimum value of 0"),
                Arguments.of("unknown pod policy", spec("mode: host\npods: {keep: Sometimes}\n" + pairs("a", "b", GOOD_LINKS)),
                        "does not have a value in the enumeration"),
                Arguments.of("a name too long for a label", document("n".repeat(64), "mode: host\n" + pairs("a", "b", GOOD_LINKS)),
                        "a NeperTest name has at most 63 characters"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedBySchema")
    void schemaRefusesBadSpecsWithAClearMessage(String what, String yaml, String expected) throws IOException {
        List<String> problems = schema.validate(CrdSchema.yaml(yaml));
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)),
                what + ": expected a complaint containing '" + expected + "', got " + problems);

        NeperTest test = parse(yaml);
        if (test != null) {
            assertFalse(SpecValidator.validate(test).isEmpty(), what + ": the operator's own checks let it through");
        }
    }

    static Stream<Arguments> refusedByOperatorOnly() {
        return Stream.of(
                Arguments.of("an IPv6 shape with two '::'", pairs("a", "b", """
                            links:
                            - {device: eth1, serverIP: "2001:db8::1::2", clientIP: "2001:db8::3"}
                        """), "is not an IPv4 or IPv6 address"),
                Arguments.of("address families that differ on a link", pairs("a", "b", """
                            links:
                            - {device: eth1, serverIP: 198.18.1.1, clientIP: "2001:db8::3"}
                        """), "different address families"),
                Arguments.of("control ports running past 65535", "ports: {control: 65534}\n" + pairs("a", "b", """
                            links:
                            - {device: eth1, serverIP: 198.18.1.1, clientIP: 198.18.1.2}
                            - {device: eth2, serverIP: 198.18.2.1, clientIP: 198.18.2.2}
                            - {device: eth3, serverIP: 198.18.3.1, clientIP: 198.18.3.2}
                        """), "the ports run past 65535"),
                Arguments.of("data ports overlapping control ports", "ports: {control: 20000, data: 20001}\n"
                        + pairs("a", "b", GOOD_LINKS), "overlap the data ports"),
                Arguments.of("the same address written twice differently", pairs("a", "b", """
                            links:
                            - {device: eth1, serverIP: "2001:db8::1", clientIP: "2001:db8::2"}
                            - {device: eth2, serverIP: "2001:db8:0::1", clientIP: "2001:db8::3"}
                        """), "appears twice in the pair"),
                Arguments.of("a finish deadline shorter than the test", "duration: 10m\ndeadlines: {finish: 5m}\n"
                        + pairs("a", "b", GOOD_LINKS), "leaves no time beyond the test's duration"),
                Arguments.of("more devmem flows than the receiver's queues", "flows: 8\nthreads: 8\nqueueNum: 4\n"
                        + pairs("a", "b", GOOD_LINKS), "must not exceed --queue-num"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedByOperatorOnly")
    void operatorRefusesWhatTheSchemaCannotSee(String what, String specBody, String expected) throws IOException {
        String yaml = spec((specBody.contains("queueNum") ? "mode: cuda\n" : "mode: host\n") + specBody);
        assertEquals(List.of(), schema.validate(CrdSchema.yaml(yaml)), what + " passes the schema");
        List<String> problems = SpecValidator.validate(parse(yaml));
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)),
                what + ": expected '" + expected + "', got " + problems);
    }

    @Test
    void examplesAndAFullSpecAreValid() throws IOException {
        List<Path> examples;
        try (Stream<Path> files = Files.list(Generated.REPO.resolve("docs/examples"))) {
            examples = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertFalse(examples.isEmpty());
        int tests = 0;
        for (Path example : examples) {
            String yaml = Files.readString(example);
            if (!"NeperTest".equals(CrdSchema.yaml(yaml).path("kind").asText())) {
                continue; // FleetCrdSchemaTest checks the fleet tests'
            }
            tests++;
            assertEquals(List.of(), schema.validate(CrdSchema.yaml(yaml)), example.toString());
            assertEquals(List.of(), SpecValidator.validate(parse(yaml)), example.toString());
        }
        assertTrue(tests >= 2, tests + " NeperTest examples");
    }

    @Test
    void everyRuleCompilesAndIsEvaluated() {
        List<String> rules = schema.ruleTexts();
        assertTrue(rules.size() >= 14, rules.toString());
    }

    private static NeperTest parse(String yaml) {
        try {
            return Serialization.unmarshal(yaml, NeperTest.class);
        } catch (RuntimeException e) {
            return null; // not even the right shape (an unknown enum value): the API server refuses it first
        }
    }

    private static String spec(String body) {
        return document("t", body);
    }

    private static String document(String name, String body) {
        return "apiVersion: neper.dev/v1alpha1\nkind: NeperTest\nmetadata:\n  name: " + name + "\nspec:\n"
                + body.indent(2);
    }

    private static String pairs(String server, String client, String links) {
        return "pairs:\n" + pairItem(server, client, links);
    }

    private static String pairItem(String server, String client, String links) {
        return "- server: {node: " + server + "}\n  client: {node: " + client + "}\n" + dedent(links).indent(2);
    }

    /** Removes the indentation the non-blank lines share (String.stripIndent counts a blank last line). */
    private static String dedent(String text) {
        int common = text.lines().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        text.lines().filter(l -> !l.isBlank()).forEach(l -> out.append(l.substring(common)).append('\n'));
        return out.toString();
    }
}
