package dev.neper.fleet.operator.fleettest.marking;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Taint;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The change one node's marks need to say what a target says, as a pure function of the node as
 * observed. Only marks the node's record ({@link OwnMarks}) says are ours are changed or removed; a
 * label, condition or taint of our keys that someone else set is left as it is; a node another fleet
 * test marked is not touched at all. A node already marked for this run is done: a mark a person
 * removed since is not put back until the next run.
 */
public final class NodeMarking {
    static final int MAX_CONDITION_MESSAGE = 512;
    /** A label value has at most 63 characters. */
    static final int MAX_LABEL = 63;

    private NodeMarking() {
    }

    public static Optional<NodeChange> change(Node node, MarkingContext context, MarkTarget target, Instant now) {
        Optional<OwnMarks> recorded = OwnMarks.of(node);
        if (recorded.isPresent() && !Objects.equals(recorded.get().owner(), context.owner())) {
            return Optional.empty();
        }
        OwnMarks own = recorded.orElse(null);
        String name = node.getMetadata().getName();
        boolean final_ = own != null && context.runId().equals(own.run()) && !NodeMarks.TESTING.equals(own.health());
        Map<String, String> want = new LinkedHashMap<>();
        NodeCondition wantCondition = null;
        boolean conditionDecided = false;
        String wantTaint = null;
        boolean taintDecided = false;
        String health;
        String previous = own == null ? null : own.previous();
        String run = context.runId();
        switch (target) {
            case MarkTarget.Faulty f -> {
                if (final_) {
                    return Optional.empty();
                }
                want.put(NodeMarks.HEALTH, NodeMarks.FAULTY);
                want.put(NodeMarks.RUN, context.runId());
                want.put(NodeMarks.TIME, context.time());
                want.put(NodeMarks.DEVICES, devices(f.devices()));
                wantCondition = condition("False", f.verdict(), f.verdict() + " on " + String.join(", ", f.devices())
                        + " in run " + context.runId() + " of " + context.owner() + ": " + f.reason());
                conditionDecided = true;
                wantTaint = context.taint() ? context.taintEffect() : null;
                taintDecided = true;
                health = NodeMarks.FAULTY;
                previous = null;
            }
            case MarkTarget.Healthy h -> {
                if (final_) {
                    return Optional.empty();
                }
                want.put(NodeMarks.HEALTH, NodeMarks.HEALTHY);
                want.put(NodeMarks.RUN, context.runId());
                want.put(NodeMarks.TIME, context.time());
                want.put(NodeMarks.DEVICES, null);
                wantCondition = condition("True", "Healthy", "every tested device passed in run " + context.runId()
                        + " of " + context.owner());
                conditionDecided = true;
                taintDecided = true;
                health = NodeMarks.HEALTHY;
                previous = null;
            }
            case MarkTarget.Testing t -> {
                if (own != null && context.runId().equals(own.run())) {
                    return Optional.empty();
                }
                want.put(NodeMarks.HEALTH, NodeMarks.TESTING);
                health = NodeMarks.TESTING;
                previous = own == null ? null : NodeMarks.TESTING.equals(own.health()) ? own.previous() : own.health();
            }
            case MarkTarget.Restore r -> {
                if (own == null || !NodeMarks.TESTING.equals(own.health())) {
                    return Optional.empty();
                }
                want.put(NodeMarks.HEALTH, own.previous());
                health = own.previous();
                previous = null;
                run = own.run();
            }
            case MarkTarget.ClearAll c -> {
                if (own == null) {
                    return Optional.empty();
                }
                own.labels().forEach(k -> want.put(k, null));
                health = null;
                taintDecided = true;
            }
        }
        Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
        Set<String> ownLabels = own == null ? Set.of() : Set.copyOf(own.labels());
        Map<String, String> set = new TreeMap<>();
        Set<String> removed = new TreeSet<>();
        Set<String> nowOwn = new TreeSet<>(ownLabels);
        want.forEach((key, value) -> {
            boolean ours = !labels.containsKey(key) || ownLabels.contains(key);
            if (!ours) {
                return;
            }
            if (value != null) {
                if (!value.equals(labels.get(key))) {
                    set.put(key, value);
                }
                nowOwn.add(key);
            } else {
                if (labels.containsKey(key)) {
                    removed.add(key);
                }
                nowOwn.remove(key);
            }
        });

        NodeCondition existing = findCondition(node);
        boolean conditionOurs = own != null && own.condition();
        boolean mayCondition = existing == null || conditionOurs;
        NodeCondition condition = null;
        boolean conditionTurns = false;
        boolean conditionRemoved = false;
        boolean nowConditionOurs = conditionOurs;
        if (target instanceof MarkTarget.ClearAll) {
            conditionRemoved = conditionOurs && existing != null;
            nowConditionOurs = false;
        } else if (conditionDecided && mayCondition) {
            if (existing == null || !Objects.equals(existing.getStatus(), wantCondition.getStatus())
                    || !Objects.equals(existing.getReason(), wantCondition.getReason())
                    || !Objects.equals(existing.getMessage(), wantCondition.getMessage())) {
                String transition = existing != null && Objects.equals(existing.getStatus(), wantCondition.getStatus())
                        && existing.getLastTransitionTime() != null ? existing.getLastTransitionTime() : now.toString();
                condition = new NodeConditionBuilder(wantCondition).withLastTransitionTime(transition)
                        .withLastHeartbeatTime(now.toString()).build();
                conditionTurns = existing == null || !Objects.equals(existing.getStatus(), wantCondition.getStatus())
                        || !Objects.equals(existing.getReason(), wantCondition.getReason());
            }
            nowConditionOurs = true;
        }

        Taint existingTaint = findTaint(node);
        boolean taintOurs = own != null && own.taint();
        boolean mayTaint = existingTaint == null || taintOurs;
        String taintAdded = null;
        String taintRemoved = null;
        boolean nowTaintOurs = taintOurs && existingTaint != null;
        if (taintDecided && mayTaint) {
            String have = existingTaint == null ? null : existingTaint.getEffect();
            if (!Objects.equals(have, wantTaint)) {
                taintRemoved = have;
                taintAdded = wantTaint;
            }
            nowTaintOurs = wantTaint != null;
        }

        boolean ownRemoved = target instanceof MarkTarget.ClearAll;
        OwnMarks after = ownRemoved ? null : new OwnMarks(context.owner(), run, health, previous, List.copyOf(nowOwn),
                nowConditionOurs, nowTaintOurs);
        boolean ownChanged = ownRemoved || !Objects.equals(after, own);
        if (set.isEmpty() && removed.isEmpty() && condition == null && !conditionRemoved && taintAdded == null
                && taintRemoved == null && !ownChanged) {
            return Optional.empty();
        }
        return Optional.of(new NodeChange(name, set, removed, condition, conditionTurns, conditionRemoved, taintAdded, taintRemoved,
                ownChanged ? after : null, ownRemoved));
    }

    static String devices(List<String> devices) {
        String joined = String.join(".", devices);
        return joined.length() <= MAX_LABEL ? joined : joined.substring(0, MAX_LABEL).replaceAll("[^A-Za-z0-9]+$", "");
    }

    private static NodeCondition condition(String status, String reason, String message) {
        return new NodeConditionBuilder().withType(NodeMarks.CONDITION).withStatus(status).withReason(reason)
                .withMessage(message.length() <= MAX_CONDITION_MESSAGE ? message
                        : message.substring(0, MAX_CONDITION_MESSAGE - 1) + "…")
                .build();
    }

    static NodeCondition findCondition(Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return null;
        }
        return node.getStatus().getConditions().stream().filter(c -> NodeMarks.CONDITION.equals(c.getType()))
                .findFirst().orElse(null);
    }

    static Taint findTaint(Node node) {
        if (node.getSpec() == null || node.getSpec().getTaints() == null) {
            return null;
        }
        return node.getSpec().getTaints().stream().filter(t -> NodeMarks.TAINT.equals(t.getKey())).findFirst()
                .orElse(null);
    }
}
