package dev.neper.fleet.operator.report;

import dev.neper.fleet.operator.api.FleetLabels;
import dev.neper.fleet.operator.api.NeperFleetTest;
import dev.neper.fleet.operator.api.NeperFleetTestStatus;
import dev.neper.fleet.operator.api.NeperTest;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Reads what a report needs: from the cluster, or from a file kubectl wrote (or ./run-local --result-json). */
public final class FleetRunReader {
    private FleetRunReader() {
    }

    /** The fleet test, its last run's child NeperTests, and every fleet test of the namespace as the last runs. */
    public static FleetRun fromCluster(KubernetesClient client, String namespace, String name) {
        NeperFleetTest fleet = client.resources(NeperFleetTest.class).inNamespace(namespace).withName(name).get();
        if (fleet == null) {
            throw new IllegalArgumentException("no NeperFleetTest " + name + " in namespace " + namespace);
        }
        List<NeperTest> children = client.resources(NeperTest.class).inNamespace(namespace)
                .withLabel(FleetLabels.FLEET_TEST, name).list().getItems();
        List<NeperFleetTest> all = client.resources(NeperFleetTest.class).inNamespace(namespace).list().getItems();
        return of(fleet, children, all);
    }

    /**
     * From a file's text (JSON or YAML): a NeperFleetTest; a List of it with its child NeperTests (and other fleet
     * tests, listed as runs), as {@code kubectl get neperfleettest NAME -o json} and
     * {@code kubectl get neperfleettest,nepertest -o json} write them; or a fleet test's status alone.
     */
    @SuppressWarnings("unchecked")
    public static FleetRun fromText(String text) {
        Object parsed;
        try {
            parsed = Serialization.unmarshal(text, Object.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("neither JSON nor YAML: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("not a NeperFleetTest, a List or a fleet test's status");
        }
        Map<String, Object> document = (Map<String, Object>) map;
        Object kind = document.get("kind");
        if (kind == null && document.containsKey("phase")) {
            NeperFleetTestStatus status = Serialization.jsonMapper().convertValue(document, NeperFleetTestStatus.class);
            return new FleetRun(null, null, status, List.of(), List.of(FleetRun.RunLine.of(null, status)));
        }
        List<Map<String, Object>> items = "List".equals(kind) || String.valueOf(kind).endsWith("List")
                ? (List<Map<String, Object>>) document.getOrDefault("items", List.of()) : List.of((Map<String, Object>) document);
        List<NeperFleetTest> fleets = new ArrayList<>();
        List<NeperTest> tests = new ArrayList<>();
        for (Map<String, Object> item : items) {
            switch (String.valueOf(item.get("kind"))) {
                case "NeperFleetTest" -> fleets.add(Serialization.jsonMapper().convertValue(item, NeperFleetTest.class));
                case "NeperTest" -> tests.add(Serialization.jsonMapper().convertValue(item, NeperTest.class));
                default -> { }
            }
        }
        if (fleets.isEmpty()) {
            throw new IllegalArgumentException("no NeperFleetTest in it (kind " + kind + ")");
        }
        // the report is on the fleet test the children belong to, else the first
        NeperFleetTest fleet = fleets.stream().filter(f -> tests.stream().anyMatch(t -> f.getMetadata().getName()
                .equals(label(t, FleetLabels.FLEET_TEST)))).findFirst().orElse(fleets.getFirst());
        List<NeperTest> children = tests.stream().filter(t -> fleet.getMetadata().getName()
                .equals(label(t, FleetLabels.FLEET_TEST))).toList();
        return of(fleet, children, fleets);
    }

    private static FleetRun of(NeperFleetTest fleet, List<NeperTest> children, List<NeperFleetTest> all) {
        if (fleet.getStatus() == null) {
            throw new IllegalArgumentException("NeperFleetTest " + fleet.getMetadata().getName() + " has no status yet");
        }
        String runId = fleet.getStatus().runId();
        List<NeperTest> ofRun = children.stream().filter(t -> runId != null && runId.equals(label(t, FleetLabels.RUN)))
                .toList();
        // every kept run of each fleet test (issue 14's history), or its one run when it keeps none
        List<FleetRun.RunLine> runs = all.stream().filter(f -> f.getStatus() != null)
                .flatMap(f -> f.getStatus().historyList().isEmpty()
                        ? java.util.stream.Stream.of(FleetRun.RunLine.of(f.getMetadata().getName(), f.getStatus()))
                        : f.getStatus().historyList().stream().map(h -> FleetRun.RunLine.of(f.getMetadata().getName(), h)))
                .sorted(Comparator.comparing((FleetRun.RunLine r) -> Objects.requireNonNullElse(r.startTime(), ""))
                        .reversed()).toList();
        return new FleetRun(fleet.getMetadata().getNamespace(), fleet.getMetadata().getName(), fleet.getStatus(), ofRun,
                runs);
    }

    private static String label(HasMetadata object, String key) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }
}
