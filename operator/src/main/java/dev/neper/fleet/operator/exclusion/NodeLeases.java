package dev.neper.fleet.operator.exclusion;

import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.NeperTestStatus;
import dev.neper.fleet.operator.api.TestPhase;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Which test owns which nodes, so that two tests touching a node never run at once. A test owns its
 * nodes from its start until its pods have stopped. Tests start in creation order: a test waits for
 * any overlapping test that runs, and for any overlapping test created before it that waits too (so
 * a large test is not starved by small ones). The operator runs as one replica; this in-memory
 * table is rebuilt after a restart from the tests whose status says they run.
 */
@ApplicationScoped
public class NodeLeases {
    private final Map<ResourceID, Set<String>> held = new HashMap<>();
    private final Set<ResourceID> waiters = new LinkedHashSet<>();

    /**
     * Grants the test its nodes, or names the test it must wait for (with the nodes they share).
     * {@code others} are all NeperTests the operator knows, this one included.
     */
    public synchronized Optional<Blocker> tryAcquire(NeperTest test, Stream<NeperTest> others) {
        ResourceID id = ResourceID.fromResource(test);
        Set<String> nodes = TestNodes.of(test);
        if (held.containsKey(id)) {
            held.put(id, nodes);
            return Optional.empty();
        }
        Optional<Blocker> blocker = others
                .filter(other -> !ResourceID.fromResource(other).equals(id))
                .filter(other -> other.getMetadata().getDeletionTimestamp() == null
                        || held.containsKey(ResourceID.fromResource(other)))
                .filter(other -> blocks(other, test))
                .map(other -> new Blocker(ResourceID.fromResource(other), shared(nodes, other)))
                .filter(b -> !b.nodes().isEmpty())
                .min(Comparator.comparing(b -> b.test().toString()));
        if (blocker.isPresent()) {
            waiters.add(id);
            return blocker;
        }
        waiters.remove(id);
        held.put(id, nodes);
        return Optional.empty();
    }

    /** Records that a test whose status says it runs owns its nodes (after an operator restart). */
    public synchronized void hold(NeperTest test) {
        held.put(ResourceID.fromResource(test), TestNodes.of(test));
    }

    /** Gives the nodes back; returns the waiting tests to look again. */
    public synchronized List<ResourceID> release(ResourceID test) {
        waiters.remove(test);
        if (held.remove(test) == null) {
            return List.of();
        }
        return List.copyOf(waiters);
    }

    /** Forgets a deleted test entirely. */
    public synchronized List<ResourceID> forget(ResourceID test) {
        List<ResourceID> wake = release(test);
        waiters.remove(test);
        return wake;
    }

    public synchronized boolean holds(ResourceID test) {
        return held.containsKey(test);
    }

    private boolean blocks(NeperTest other, NeperTest test) {
        ResourceID otherId = ResourceID.fromResource(other);
        if (held.containsKey(otherId)) {
            return true;
        }
        NeperTestStatus status = other.getStatus();
        TestPhase phase = status == null ? null : status.phase();
        if (phase != null && phase.isActive()) {
            return true;
        }
        boolean otherWaits = phase == null || phase == TestPhase.Pending;
        return otherWaits && other.getMetadata().getDeletionTimestamp() == null && createdBefore(other, test);
    }

    private static boolean createdBefore(NeperTest a, NeperTest b) {
        Instant ta = created(a);
        Instant tb = created(b);
        int byTime = ta.compareTo(tb);
        if (byTime != 0) {
            return byTime < 0;
        }
        return ResourceID.fromResource(a).toString().compareTo(ResourceID.fromResource(b).toString()) < 0;
    }

    private static Instant created(NeperTest test) {
        String text = test.getMetadata().getCreationTimestamp();
        try {
            return text == null ? Instant.MAX : Instant.parse(text);
        } catch (RuntimeException e) {
            return Instant.MAX;
        }
    }

    private static Set<String> shared(Set<String> nodes, NeperTest other) {
        Set<String> both = new TreeSet<>(TestNodes.of(other));
        both.retainAll(nodes);
        return both;
    }

    /** The test to wait for and the nodes both use. */
    public record Blocker(ResourceID test, Set<String> nodes) {
        public String testName() {
            return test.getNamespace().map(ns -> ns + "/").orElse("") + test.getName();
        }
    }
}
