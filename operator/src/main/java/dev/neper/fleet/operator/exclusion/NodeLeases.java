package dev.neper.fleet.operator.exclusion;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Which test or fleet run owns which nodes, so that two of them touching a node never run at once. A
 * holder owns its nodes from its start until its pods have stopped; a fleet run's child NeperTests use
 * the run's nodes. Claims are served in creation order: one waits for any overlapping holder that runs,
 * and for any overlapping claim created before it that waits too (so a large test is not starved by
 * small ones), except that a fleet run's child, whose run already owns the nodes, waits only for those
 * that run. This in-memory table is rebuilt after a restart from the claims whose status says they run.
 */
@ApplicationScoped
public class NodeLeases {
    private final Map<Holder, Set<String>> held = new HashMap<>();
    private final Set<Holder> waiters = new LinkedHashSet<>();
    private final Map<String, Consumer<ResourceID>> wakers = new ConcurrentHashMap<>();

    /** Where the waiters of one kind are woken (the controller of that kind looks again at them). */
    public void onRelease(String kind, Consumer<ResourceID> wake) {
        wakers.put(kind, wake);
    }

    /**
     * Grants the claim its nodes, or names the holder it must wait for (with the nodes they share).
     * {@code others} are every claim the operator knows, of either kind, this one possibly included.
     */
    public Optional<Blocker> tryAcquire(Claim claim, Stream<Claim> others) {
        synchronized (this) {
            Holder id = claim.holder();
            if (held.containsKey(id)) {
                held.put(id, claim.nodes());
                return Optional.empty();
            }
            Optional<Blocker> blocker = others
                    .filter(other -> !other.holder().equals(id) && !other.holder().equals(claim.owner()))
                    .filter(other -> !other.deleting() || held.containsKey(other.holder()))
                    .filter(other -> blocks(other, claim))
                    .map(other -> new Blocker(other.holder(), shared(claim.nodes(), held.getOrDefault(other.holder(),
                            other.nodes()))))
                    .filter(b -> !b.nodes().isEmpty())
                    .min(Comparator.comparing(b -> b.holder().describe()));
            if (blocker.isPresent()) {
                waiters.add(id);
                return blocker;
            }
            waiters.remove(id);
            held.put(id, claim.nodes());
            return Optional.empty();
        }
    }

    /** Records that a claim whose status says it runs owns its nodes (after an operator restart). */
    public synchronized void hold(Claim claim) {
        held.put(claim.holder(), claim.nodes());
    }

    /** Gives the nodes back, waking the claims that wait. */
    public void release(Holder holder) {
        List<Holder> wake;
        synchronized (this) {
            waiters.remove(holder);
            wake = held.remove(holder) == null ? List.of() : new ArrayList<>(waiters);
        }
        wake(wake);
    }

    /** Forgets a deleted or refused claim entirely. */
    public void forget(Holder holder) {
        release(holder);
    }

    public synchronized boolean holds(Holder holder) {
        return held.containsKey(holder);
    }

    private void wake(List<Holder> holders) {
        for (Holder holder : holders) {
            Consumer<ResourceID> waker = wakers.get(holder.kind());
            if (waker != null) {
                waker.accept(holder.id());
            }
        }
    }

    private boolean blocks(Claim other, Claim claim) {
        if (held.containsKey(other.holder()) || other.active()) {
            return true;
        }
        if (claim.owner() != null && held.containsKey(claim.owner())) {
            // its fleet run owns the nodes already: waiters come after the run, not before its children
            return false;
        }
        return other.waiting() && !other.deleting() && other.createdBefore(claim);
    }

    private static Set<String> shared(Set<String> nodes, Set<String> other) {
        Set<String> both = new TreeSet<>(other);
        both.retainAll(nodes);
        return both;
    }

    /** The holder to wait for and the nodes both use. */
    public record Blocker(Holder holder, Set<String> nodes) {
        /** "namespace/name" */
        public String testName() {
            return holder.name();
        }

        /** "NeperTest namespace/name" */
        public String describe() {
            return holder.describe();
        }
    }
}
