package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Marking the nodes a run judged: labels, a Node condition and optionally a taint, behind a dry run (the
 * default: the status and Events say what would be set or cleared) and a budget (at most maxPercent of
 * the selected nodes and at most maxNodes marked faulty at once; beyond it nothing more is marked until
 * a person resets the breaker with the annotation {@value #RESET_BUDGET}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetMarking(
        @Default("true")
        @JsonPropertyDescription("Only say what would be marked (status.marking, Events); set false to mark nodes.")
        Boolean dryRun,

        @Default("false")
        @JsonPropertyDescription("Taint faulty nodes with neper.dev/network-faulty (besides the labels and condition).")
        Boolean taint,

        @Default("NoSchedule")
        @JsonPropertyDescription("The taint's effect: NoSchedule, PreferNoSchedule or NoExecute.")
        TaintEffect taintEffect,

        @Default("10") @Min(0) @Max(100)
        @JsonPropertyDescription("At most this percentage of the selected nodes is marked faulty at once.")
        Integer maxPercent,

        @Default("10") @Min(0)
        @JsonPropertyDescription("At most this many nodes are marked faulty at once.")
        Integer maxNodes) {

    /** Annotation on a NeperFleetTest: a new value resets a tripped budget (the next run marks again). */
    public static final String RESET_BUDGET = "neper.dev/reset-marking-budget";
    public static final FleetMarking DEFAULT = new FleetMarking(null, null, null, null, null);

    public enum TaintEffect { NoSchedule, PreferNoSchedule, NoExecute }

    public boolean dryRunOrDefault() {
        return dryRun == null || dryRun;
    }

    public boolean taintOrDefault() {
        return Boolean.TRUE.equals(taint);
    }

    public TaintEffect taintEffectOrDefault() {
        return taintEffect == null ? TaintEffect.NoSchedule : taintEffect;
    }

    public int maxPercentOrDefault() {
        return maxPercent == null ? 10 : maxPercent;
    }

    public int maxNodesOrDefault() {
        return maxNodes == null ? 10 : maxNodes;
    }
}
