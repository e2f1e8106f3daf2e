package dev.neper.fleet.operator.crd;

import dev.neper.fleet.operator.api.NeperFleetTest;
import dev.neper.fleet.operator.fleettest.FleetSpecChecks;
import dev.neper.fleet.operator.testing.Generated;
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
 * Bad NeperFleetTests are refused at apply time by the generated CRD's schema (OpenAPI and CEL), with a
 * message saying what is wrong, and by the operator's own checks for API servers that skip the rules;
 * what only the operator can see passes the schema and is refused by the operator. The template is a
 * NeperTest's spec: its rules hold there too.
 */
@Tag("unit")
class FleetCrdSchemaTest {
    private static final String GOOD = """
            nodes: {selector: {matchLabels: {pool: a3}}}
            devices: {names: [eth1, eth2]}
            template: {mode: host, duration: 5s}
            """;

    private static CrdSchema schema;

    @BeforeAll
    static void load() throws IOException {
        schema = CrdSchema.load(Generated.FLEET_CRD);
    }

    static Stream<Arguments> refusedBySchema() {
        return Stream.of(
                Arguments.of("no devices", fleet("nodes: {}\ntemplate: {mode: host}"), "required property 'devices' not found"),
                Arguments.of("no template", fleet("nodes: {}\ndevices: {names: [eth1]}"),
                        "required property 'template' not found"),
                Arguments.of("devices by names and by pattern", fleet(GOOD.replace("{names: [eth1, eth2]}",
                        "{names: [eth1], pattern: 'eth[0-9]'}")), "select devices either by names or by a pattern"),
                Arguments.of("devices by neither", fleet(GOOD.replace("{names: [eth1, eth2]}", "{}")),
                        "select devices either by names or by a pattern"),
                Arguments.of("a device name too long", fleet(GOOD.replace("eth2", "enp0s31f6-too-long")),
                        "a device name has 1 to 15 characters"),
                Arguments.of("a device named twice", fleet(GOOD.replace("eth2", "eth1")), "a device is named at most once"),
                Arguments.of("a template without a mode", fleet(GOOD.replace("mode: host, ", "")),
                        "required property 'mode' not found"),
                Arguments.of("a template's own rule: threads above flows", fleet(GOOD.replace("duration: 5s",
                        "flows: 2, threads: 4")), "threads must not exceed flows"),
                Arguments.of("a template with thresholds", fleet(GOOD.replace("duration: 5s",
                        "thresholds: {minLinkGbps: 100}")), "set judging.minLinkGbps, not template.thresholds"),
                Arguments.of("an unknown strategy", fleet(GOOD + "pairing: {strategy: star}"),
                        "does not have a value in the enumeration"),
                Arguments.of("the rack strategy without a topology key", fleet(GOOD + "pairing: {strategy: rack}"),
                        "the rack strategy needs topologyKey"),
                Arguments.of("one good partner", fleet(GOOD + "attribution: {goodPartners: 1}"),
                        "must have a minimum value of 2"),
                Arguments.of("a median fraction above 1", fleet(GOOD + "judging: {minFractionOfMedian: 1.5}"),
                        "must have a maximum value of 1"),
                Arguments.of("a positive z bound", fleet(GOOD + "judging: {minRobustZ: 2}"),
                        "must have a maximum value of 0"),
                Arguments.of("a negative wave limit", fleet(GOOD + "maxPairsAtOnce: -1"), "must have a minimum value of 0"),
                Arguments.of("a name too long for its children's", document("n".repeat(37), GOOD),
                        "a NeperFleetTest name has at most 36 characters"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedBySchema")
    void schemaRefusesBadSpecsWithAClearMessage(String what, String yaml, String expected) throws IOException {
        List<String> problems = schema.validate(CrdSchema.yaml(yaml));
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)),
                what + ": expected a complaint containing '" + expected + "', got " + problems);
        NeperFleetTest test = parse(yaml);
        if (test != null) {
            assertFalse(FleetSpecChecks.check(test).isEmpty(), what + ": the operator's own checks let it through");
        }
    }

    static Stream<Arguments> refusedByOperatorOnly() {
        return Stream.of(
                Arguments.of("a pattern that is not a regular expression", GOOD.replace("{names: [eth1, eth2]}",
                        "{pattern: 'eth[1-'}"), "not a regular expression"),
                Arguments.of("control ports running past 65535 over the devices", GOOD.replace("duration: 5s",
                        "ports: {control: 65535}"), "the ports run past 65535"),
                Arguments.of("an unknown selector operator", GOOD.replace("{matchLabels: {pool: a3}}",
                        "{matchExpressions: [{key: pool, operator: Near, values: [a3]}]}"), "unknown operator Near"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedByOperatorOnly")
    void operatorRefusesWhatTheSchemaCannotSee(String what, String body, String expected) throws IOException {
        String yaml = fleet(body);
        assertEquals(List.of(), schema.validate(CrdSchema.yaml(yaml)), what + " passes the schema");
        List<String> problems = FleetSpecChecks.check(parse(yaml));
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), what + ": expected '" + expected + "', got "
                + problems);
    }

    @Test
    void theFleetExamplesAreValid() throws IOException {
        List<Path> examples;
        try (Stream<Path> files = Files.list(Generated.REPO.resolve("docs/examples"))) {
            examples = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        int fleets = 0;
        for (Path example : examples) {
            String yaml = Files.readString(example);
            if (!"NeperFleetTest".equals(CrdSchema.yaml(yaml).path("kind").asText())) {
                continue;
            }
            fleets++;
            assertEquals(List.of(), schema.validate(CrdSchema.yaml(yaml)), example.toString());
            assertEquals(List.of(), FleetSpecChecks.check(parse(yaml)), example.toString());
        }
        assertTrue(fleets >= 2, fleets + " fleet examples");
        assertEquals(List.of(), schema.validate(CrdSchema.yaml(fleet(GOOD))));
    }

    private static NeperFleetTest parse(String yaml) {
        try {
            return Serialization.unmarshal(yaml, NeperFleetTest.class);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String fleet(String body) {
        return document("nightly", body);
    }

    private static String document(String name, String body) {
        return "apiVersion: neper.dev/v1alpha1\nkind: NeperFleetTest\nmetadata:\n  name: " + name + "\nspec:\n"
                + body.indent(2);
    }
}
