package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.neper.fleet.operator.validate.SpecValidator;
import io.fabric8.kubernetes.api.model.DefaultKubernetesResourceList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A NeperTest whose spec this operator cannot read still reads, as the informer lists it (one list of
 * every NeperTest, through Fabric8's serialization): its spec is null, the problem names the field,
 * and a copy made through JSON (JOSDK clones each resource it hands out) keeps the stored spec.
 */
@Tag("unit")
class StoredSpecTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private static String test(String name, String specLines) {
        return """
                {"apiVersion": "neper.dev/v1alpha1", "kind": "NeperTest",
                 "metadata": {"name": "%s", "namespace": "ns", "generation": 1},
                 "spec": {%s "pairs": [{"server": {"node": "a"}, "client": {"node": "b"},
                          "links": [{"device": "eth1", "serverIP": "198.18.1.1", "clientIP": "198.18.1.2"}]}]},
                 "status": {"phase": "Pending"}}
                """.formatted(name, specLines);
    }

    private static NeperTest read(String json) {
        return SERIALIZATION.unmarshal(json, NeperTest.class);
    }

    @Test
    void aListWithUnreadableTestsReadsAndNamesEachProblem() {
        String list = """
                {"apiVersion": "neper.dev/v1alpha1", "kind": "NeperTestList", "metadata": {},
                 "items": [%s, %s, %s, %s, %s]}
                """.formatted(test("mode", "\"mode\": \"turbo\","), test("field", "\"mode\": \"host\", \"turbo\": true,"),
                test("flows", "\"mode\": \"host\", \"flows\": \"two\","),
                test("nested", "\"mode\": \"host\", \"ports\": {\"control\": \"x\"},"),
                test("good", "\"mode\": \"host\", \"flows\": 2,"));
        DefaultKubernetesResourceList<NeperTest> tests = SERIALIZATION.unmarshal(
                new java.io.ByteArrayInputStream(list.getBytes(java.nio.charset.StandardCharsets.UTF_8)), new TypeReference<>() { });
        List<NeperTest> items = tests.getItems();
        assertEquals(5, items.size());
        assertProblem(items.get(0), "spec.mode: \"turbo\" is not one of host, udmabuf, cuda");
        assertProblem(items.get(1), "spec.turbo: not a field this operator knows");
        assertProblem(items.get(2), "spec.flows: \"two\" is not a whole number");
        assertProblem(items.get(3), "spec.ports.control: \"x\" is not a whole number");
        NeperTest good = items.get(4);
        assertTrue(good.specProblem().isEmpty());
        assertEquals(Mode.HOST, good.getSpec().mode());
        assertEquals(2, good.getSpec().flowsPerLink());
        assertEquals(TestPhase.Pending, good.getStatus().phase());
    }

    private static void assertProblem(NeperTest test, String expected) {
        assertNull(test.getSpec(), test.getMetadata().getName());
        assertTrue(test.specProblem().orElseThrow().startsWith(expected), test.specProblem().get());
        assertEquals(List.of(test.specProblem().get()), SpecValidator.validate(test), "the validator refuses it with it");
        assertNotNull(test.getStatus(), "the rest of the object is read");
    }

    @Test
    void aCopyThroughJsonKeepsTheStoredSpecAndItsProblem() {
        NeperTest unreadable = read(test("flows", "\"mode\": \"host\", \"flows\": \"two\","));
        NeperTest copy = SERIALIZATION.clone(unreadable);
        assertEquals(unreadable.specProblem(), copy.specProblem());
        String json = SERIALIZATION.asJson(copy);
        assertTrue(json.contains("\"flows\":\"two\""), json);

        NeperTest good = read(test("good", "\"mode\": \"host\","));
        NeperTest goodCopy = SERIALIZATION.clone(good);
        assertEquals(good.getSpec(), goodCopy.getSpec());
        assertTrue(goodCopy.specProblem().isEmpty());
    }

    @Test
    void aSpecSetInCodeIsReadable() {
        NeperTest unreadable = read(test("flows", "\"mode\": \"host\", \"flows\": \"two\","));
        NeperTest good = read(test("good", "\"mode\": \"host\","));
        unreadable.setSpec(good.getSpec());
        assertTrue(unreadable.specProblem().isEmpty());
        assertEquals(Mode.HOST, SERIALIZATION.clone(unreadable).getSpec().mode());
    }

    @Test
    void aStatusANewerOperatorWroteReadsWithoutItsNewFields() {
        String json = test("good", "\"mode\": \"host\",").replace("\"status\": {\"phase\": \"Pending\"}",
                "\"status\": {\"phase\": \"Running\", \"retries\": 1, \"pairs\": [{\"server\": \"a\", \"rail\": 3,"
                        + " \"links\": [{\"device\": \"eth1\", \"jitter\": 0.5}]}], \"summary\": {\"links\": \"0/1\", \"p99\": 1}}");
        NeperTestStatus status = read(json).getStatus();
        assertEquals(TestPhase.Running, status.phase());
        assertEquals("eth1", status.pairList().getFirst().links().getFirst().device());
        assertEquals("0/1", status.summary().links());
    }

    private static String fleet(String name, String extra) {
        return """
                {"apiVersion": "neper.dev/v1alpha1", "kind": "NeperFleetTest",
                 "metadata": {"name": "%s", "namespace": "ns", "generation": 1},
                 "spec": {"nodes": {"selector": {"matchLabels": {"pool": "a3"}}}, "devices": {"names": ["eth1"]},
                          "template": {"mode": "host"} %s}}
                """.formatted(name, extra);
    }

    @Test
    void aFleetTestListWithAnUnreadableOneReadsAndTheChecksNameTheField() {
        String list = """
                {"apiVersion": "neper.dev/v1alpha1", "kind": "NeperFleetTestList", "metadata": {}, "items": [%s, %s, %s]}
                """.formatted(fleet("newer", ", \"remediation\": {\"reboot\": true}"),
                fleet("mode", "").replace("\"host\"", "\"turbo\""), fleet("good", ", \"maxPairsAtOnce\": 10"));
        DefaultKubernetesResourceList<NeperFleetTest> fleets = SERIALIZATION.unmarshal(
                new java.io.ByteArrayInputStream(list.getBytes(java.nio.charset.StandardCharsets.UTF_8)), new TypeReference<>() { });
        List<NeperFleetTest> items = fleets.getItems();
        assertNull(items.get(0).getSpec());
        assertTrue(items.get(0).specProblem().orElseThrow().startsWith("spec.remediation: not a field this operator knows"),
                items.get(0).specProblem().get());
        assertEquals(List.of(items.get(0).specProblem().get()),
                dev.neper.fleet.operator.fleettest.FleetSpecChecks.check(items.get(0)));
        assertTrue(items.get(1).specProblem().orElseThrow().startsWith("spec.template.mode: \"turbo\" is not one of"),
                items.get(1).specProblem().get());
        assertEquals(10, items.get(2).getSpec().maxPairsAtOnceOrDefault());
        assertTrue(items.get(2).specProblem().isEmpty());

        NeperFleetTest copy = SERIALIZATION.clone(items.get(0));
        assertEquals(items.get(0).specProblem(), copy.specProblem(), "a copy through JSON keeps the stored spec");
        assertTrue(SERIALIZATION.asJson(copy).contains("\"remediation\""));
    }
}
