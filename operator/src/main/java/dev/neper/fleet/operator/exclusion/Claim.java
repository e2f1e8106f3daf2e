package dev.neper.fleet.operator.exclusion;

import dev.neper.fleet.operator.api.NeperFleetTest;
import dev.neper.fleet.operator.api.NeperTest;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import java.time.Instant;
import java.util.Set;

/**
 * A test's or fleet run's claim on nodes, as the node table weighs it against others.
 *
 * @param holder   who claims
 * @param nodes    the nodes it uses
 * @param active   its status says it runs (it owns its nodes, also before this replica saw it acquire them)
 * @param waiting  it has not started (no status, or Pending)
 * @param deleting it is being deleted
 * @param created  its creation time (Instant.MAX when unknown): waiting claims are served in this order
 * @param owner    the fleet run it is a child of, whose nodes it may use, or null
 */
public record Claim(Holder holder, Set<String> nodes, boolean active, boolean waiting, boolean deleting, Instant created,
                    Holder owner) {
    public Claim {
        nodes = Set.copyOf(nodes);
    }

    public static Claim of(NeperTest test) {
        var status = test.getStatus();
        var phase = status == null ? null : status.phase();
        return new Claim(Holder.of(test), TestNodes.of(test), phase != null && phase.isActive(),
                phase == null || phase == dev.neper.fleet.operator.api.TestPhase.Pending, deleting(test), created(test),
                fleetOwner(test));
    }

    /** A fleet run's claim on {@code nodes}, the selected nodes it tests. */
    public static Claim of(NeperFleetTest fleet, Set<String> nodes) {
        var status = fleet.getStatus();
        var phase = status == null ? null : status.phase();
        // a scheduled fleet test between runs waits for its time, not for nodes: it holds no place in the queue
        boolean betweenRuns = status != null && dev.neper.fleet.operator.api.Reason.Scheduled.name().equals(status.reason())
                || status == null && fleet.getSpec() != null && fleet.getSpec().schedule() != null;
        return new Claim(Holder.of(fleet), nodes, phase != null && phase.isActive(),
                (phase == null || phase == dev.neper.fleet.operator.api.FleetPhase.Pending) && !betweenRuns,
                deleting(fleet), created(fleet), null);
    }

    private static boolean deleting(HasMetadata resource) {
        return resource.getMetadata().getDeletionTimestamp() != null;
    }

    /** The NeperFleetTest that controls a child NeperTest, from its ownerReference. */
    static Holder fleetOwner(HasMetadata child) {
        if (child.getMetadata().getOwnerReferences() == null) {
            return null;
        }
        String kind = io.fabric8.kubernetes.api.model.HasMetadata.getKind(NeperFleetTest.class);
        for (OwnerReference owner : child.getMetadata().getOwnerReferences()) {
            if (kind.equals(owner.getKind()) && Boolean.TRUE.equals(owner.getController())) {
                return new Holder(kind, new ResourceID(owner.getName(), child.getMetadata().getNamespace()));
            }
        }
        return null;
    }

    private static Instant created(HasMetadata resource) {
        String text = resource.getMetadata().getCreationTimestamp();
        try {
            return text == null ? Instant.MAX : Instant.parse(text);
        } catch (RuntimeException e) {
            return Instant.MAX;
        }
    }

    boolean createdBefore(Claim other) {
        int byTime = created.compareTo(other.created);
        return byTime != 0 ? byTime < 0 : holder.describe().compareTo(other.holder.describe()) < 0;
    }
}
