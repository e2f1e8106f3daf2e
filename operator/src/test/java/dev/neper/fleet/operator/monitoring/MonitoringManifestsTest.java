package dev.neper.fleet.operator.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.neper.fleet.operator.testing.Generated;
import dev.neper.fleet.operator.testing.ProgramRuns;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/monitoring as kustomize (kubectl's) builds it: a component that deploy/ leaves out and
 * docs/examples/with-monitoring adds; every file in it valid YAML or JSON; the dashboard's queries where Grafana
 * looks for them.
 */
@Tag("unit")
class MonitoringManifestsTest {
    static final Path MONITORING = Generated.REPO.resolve("deploy/monitoring");
    static final Path DASHBOARD = MONITORING.resolve("grafana-dashboard.json");
    private static final Set<String> MONITORING_OBJECTS = Set.of("PodMonitor/neper-fleet-operator",
            "PrometheusRule/neper-fleet", "ConfigMap/neper-fleet-dashboard");

    /** kubectl kustomize DIR's objects, as kind/name. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> build(Path dir) throws Exception {
        ProgramRuns.Result built = ProgramRuns.run(Duration.ofSeconds(60), "kubectl", "kustomize", dir.toString());
        assertEquals(0, built.exitCode(), built.output());
        List<Map<String, Object>> objects = new ArrayList<>();
        for (String document : built.output().split("(?m)^---$")) {
            if (!document.isBlank()) {
                objects.add(Serialization.unmarshal(document, Map.class));
            }
        }
        return objects;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> names(List<Map<String, Object>> objects) {
        Set<String> names = new TreeSet<>();
        objects.forEach(o -> names.add(o.get("kind") + "/" + ((Map<String, Object>) o.get("metadata")).get("name")));
        return names;
    }

    @Test
    void deployAloneHasNoMonitoringAndTheExampleOverlayAddsExactlyIt() throws Exception {
        Set<String> plain = names(build(Generated.REPO.resolve("deploy")));
        assertTrue(plain.contains("Deployment/neper-fleet-operator"), plain.toString());
        MONITORING_OBJECTS.forEach(o -> assertFalse(plain.contains(o), o + " in the plain deploy/"));
        Set<String> withMonitoring = names(build(Generated.REPO.resolve("docs/examples/with-monitoring")));
        Set<String> added = new TreeSet<>(withMonitoring);
        added.removeAll(plain);
        assertEquals(new TreeSet<>(MONITORING_OBJECTS), added);
        assertTrue(withMonitoring.containsAll(plain));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDashboardsConfigMapCarriesTheDashboardForGrafanasSidecar() throws Exception {
        Map<String, Object> configMap = build(Generated.REPO.resolve("docs/examples/with-monitoring")).stream()
                .filter(o -> "ConfigMap".equals(o.get("kind"))
                        && "neper-fleet-dashboard".equals(((Map<String, Object>) o.get("metadata")).get("name")))
                .findFirst().orElseThrow();
        Map<String, Object> metadata = (Map<String, Object>) configMap.get("metadata");
        assertEquals("1", ((Map<String, Object>) metadata.get("labels")).get("grafana_dashboard"));
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(Files.readString(DASHBOARD)),
                json.readTree((String) ((Map<String, Object>) configMap.get("data")).get("neper-fleet.json")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyFileOfTheComponentIsValidAndListed() throws Exception {
        Map<String, Object> kustomization = Serialization.unmarshal(Files.readString(MONITORING.resolve("kustomization.yaml")),
                Map.class);
        assertEquals("Component", kustomization.get("kind"));
        Set<String> listed = new TreeSet<>((List<String>) kustomization.get("resources"));
        for (Map<String, Object> generator : (List<Map<String, Object>>) kustomization.get("configMapGenerator")) {
            for (String file : (List<String>) generator.get("files")) {
                listed.add(file.substring(file.indexOf('=') + 1));
            }
        }
        Set<String> files = new TreeSet<>();
        try (Stream<Path> paths = Files.list(MONITORING)) {
            paths.forEach(p -> files.add(p.getFileName().toString()));
        }
        files.remove("kustomization.yaml");
        assertEquals(files, listed, "every file of deploy/monitoring is in its kustomization");
        for (String file : files) {
            String text = Files.readString(MONITORING.resolve(file));
            if (file.endsWith(".json")) {
                new ObjectMapper().readTree(text);
            } else {
                Map<String, Object> object = Serialization.unmarshal(text, Map.class);
                assertTrue(object.containsKey("apiVersion") && object.containsKey("kind"), file);
            }
        }
    }

    /** Every query of the dashboard, variables left in ($namespace, $fleet_test). */
    static List<String> dashboardQueries() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(target.get("expr").asText());
            }
        }
        return queries;
    }

    @Test
    void theDashboardHasTheFleetHeatmapPerRailMediansFaultyNodesAndRuns() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        List<String> titles = new ArrayList<>();
        dashboard.get("panels").forEach(p -> titles.add(p.get("title").asText()));
        JsonNode heatmap = null;
        for (JsonNode panel : dashboard.get("panels")) {
            if (panel.get("title").asText().startsWith("Fleet heatmap")) {
                heatmap = panel;
            }
        }
        assertTrue(heatmap != null, titles.toString());
        JsonNode matrix = heatmap.get("transformations").get(0);
        assertEquals("groupingToMatrix", matrix.get("id").asText());
        assertEquals("device", matrix.get("options").get("columnField").asText());
        assertEquals("node", matrix.get("options").get("rowField").asText());
        assertTrue(titles.stream().anyMatch(t -> t.startsWith("Per-rail medians")), titles.toString());
        assertTrue(titles.stream().anyMatch(t -> t.startsWith("Nodes not healthy")), titles.toString());
        assertTrue(titles.stream().anyMatch(t -> t.equals("Runs")), titles.toString());
        assertTrue(dashboardQueries().stream().allMatch(q -> q.contains("neper_")), dashboardQueries().toString());
    }
}
