package dev.neper.fleet.operator.observe;

import dev.neper.fleet.operator.pods.Role;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Everything a reconcile looks at besides the NeperTest: its runner pods (those of the run's
 * generation by pair and role, and stale ones from an abandoned run) and which of its nodes exist.
 */
public record TestObservation(Map<Integer, ObservedPod> servers, Map<Integer, ObservedPod> clients,
                              List<ObservedPod> stale, List<ObservedPod> all, Set<String> missingNodes) {

    public static TestObservation of(Collection<Pod> pods, long runGeneration, Set<String> nodes,
                                     Predicate<String> nodeExists) {
        Map<Integer, ObservedPod> servers = new HashMap<>();
        Map<Integer, ObservedPod> clients = new HashMap<>();
        List<ObservedPod> stale = new ArrayList<>();
        List<ObservedPod> all = new ArrayList<>();
        for (Pod pod : pods) {
            PodObserver.observe(pod).ifPresent(observed -> {
                all.add(observed);
                if (observed.generation() != runGeneration) {
                    stale.add(observed);
                } else {
                    (observed.role() == Role.SERVER ? servers : clients).put(observed.pairIndex(), observed);
                }
            });
        }
        Set<String> missing = new TreeSet<>();
        for (String node : nodes) {
            if (!nodeExists.test(node)) {
                missing.add(node);
            }
        }
        return new TestObservation(servers, clients, stale, all, missing);
    }

    /** Pods whose runner may still run: not ended, deleting or not (a deleting pod still holds its node's ports). */
    public List<ObservedPod> live() {
        return all.stream().filter(p -> !p.state().isTerminated()).toList();
    }

    public boolean anyClient() {
        return !clients.isEmpty();
    }
}
