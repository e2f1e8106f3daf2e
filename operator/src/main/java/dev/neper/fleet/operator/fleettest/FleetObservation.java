package dev.neper.fleet.operator.fleettest;

import dev.neper.fleet.operator.api.FleetLabels;
import dev.neper.fleet.operator.api.NeperTest;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Everything a fleet reconcile looks at besides the fleet test: the nodes its selector matches now
 * (excluded ones among them), and what it made, of any run: discovery pods, child NeperTests, records.
 */
public record FleetObservation(List<Node> selected, List<Pod> pods, List<NeperTest> children, List<ConfigMap> records) {
    public FleetObservation {
        selected = List.copyOf(selected);
        pods = List.copyOf(pods);
        children = List.copyOf(children);
        records = List.copyOf(records);
    }

    public static FleetObservation of(List<Node> selected, Collection<Pod> pods, Collection<NeperTest> children,
                                      Collection<ConfigMap> records) {
        return new FleetObservation(selected, List.copyOf(pods), List.copyOf(children), List.copyOf(records));
    }

    public List<Pod> pods(String runId) {
        return pods.stream().filter(of(runId)).toList();
    }

    public List<NeperTest> children(String runId) {
        return children.stream().filter(of(runId)).toList();
    }

    public List<ConfigMap> records(String runId) {
        return records.stream().filter(of(runId)).toList();
    }

    /** What belongs to none of {@code runs}: a run no longer kept, or abandoned. */
    public <T extends HasMetadata> List<T> notOf(List<T> objects, java.util.Set<String> runs) {
        return objects.stream().filter(o -> o.getMetadata().getLabels() == null
                || !runs.contains(o.getMetadata().getLabels().get(FleetLabels.RUN))).toList();
    }

    public boolean isEmpty() {
        return pods.isEmpty() && children.isEmpty() && records.isEmpty();
    }

    private static <T extends HasMetadata> Predicate<T> of(String runId) {
        return o -> runId != null && o.getMetadata().getLabels() != null
                && Objects.equals(runId, o.getMetadata().getLabels().get(FleetLabels.RUN));
    }
}
