package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.List;

/**
 * What a fleet run observed and concluded; written by the operator only, and compact at any fleet size:
 * counts, the run's progress, and only the nodes, paths and rails that are not healthy.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NeperFleetTestStatus(
        @JsonPropertyDescription("Pending (validating, or waiting for nodes another test uses), Discovering, Running,"
                + " Completed (every verdict is in; the Healthy condition says whether faults were found) or Failed"
                + " (no verdicts: the reason says why).")
        FleetPhase phase,

        @JsonPropertyDescription("Why the run is in its phase, as a CamelCase reason.")
        String reason,

        @JsonPropertyDescription("A sentence for humans: what the run is doing or found.")
        String message,

        @JsonPropertyDescription("The run's id, its start time in UTC (20260115-020000): in its child NeperTests' names"
                + " and labels (neper.dev/fleet-run), its pods' and its record's.")
        String runId,

        @JsonPropertyDescription("The seed the run uses (spec.pairing.seed, or drawn at the start).")
        Long seed,

        @JsonPropertyDescription("When the run started (RFC 3339).")
        String startTime,

        @JsonPropertyDescription("When the run ended (RFC 3339).")
        String completionTime,

        @JsonPropertyDescription("The metadata.generation of the spec this status describes.")
        Long observedGeneration,

        @JsonPropertyDescription("The test (kind namespace/name) this run waits for, because both use a node.")
        String waitingFor,

        @JsonPropertyDescription("Healthy nodes / selected nodes, once the run completed (e.g. 996/1000).")
        String healthy,

        @JsonPropertyDescription("Faults named once the run completed: nodes with a NodeFault or LinkFault, paths, and"
                + " rail faults.")
        Integer faults,

        @JsonPropertyDescription("Conditions: Complete (the run ended, whatever it found), Healthy (no fault named;"
                + " Unknown until complete), WaitingForNodes, InvalidSpec and SpecChanged; each with the generation it"
                + " was set for.")
        List<Condition> conditions,

        @JsonPropertyDescription("What discovery found, in counts.")
        FleetDiscovery discovery,

        @JsonPropertyDescription("The round and wave running.")
        FleetProgress progress,

        @JsonPropertyDescription("The verdicts, once the run completed: counts, the non-healthy nodes with their evidence,"
                + " paths, rails.")
        FleetSummary summary,

        @JsonPropertyDescription("The kept runs, oldest first (spec.history.runs of them), this one last once it ended.")
        List<FleetHistoryEntry> history,

        @JsonPropertyDescription("What marking the nodes did or would do after the last run.")
        FleetMarkingStatus marking,

        @JsonPropertyDescription("Where a scheduled fleet test is in its schedule, and the run-now value acted on.")
        FleetScheduleStatus schedule,

        @JsonPropertyDescription("The last ended run's result (the Last Result column).")
        String lastResult,

        @JsonPropertyDescription("When the next scheduled run starts (RFC 3339; the Next Run column); absent when none"
                + " is scheduled (no schedule, or suspended).")
        String nextRunTime) implements ConditionedStatus<NeperFleetTestStatus> {

    @Override
    public List<Condition> conditionList() {
        return conditions == null ? List.of() : conditions;
    }

    @Override
    public NeperFleetTestStatus withConditions(List<Condition> conditions) {
        return toBuilder().conditions(conditions).build();
    }

    public List<FleetHistoryEntry> historyList() {
        return history == null ? List.of() : history;
    }

    public FleetScheduleStatus scheduleOrNone() {
        return schedule == null ? FleetScheduleStatus.NONE : schedule;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().phase(phase).reason(reason).message(message).runId(runId).seed(seed).startTime(startTime)
                .completionTime(completionTime).observedGeneration(observedGeneration).waitingFor(waitingFor)
                .healthy(healthy).faults(faults).conditions(conditionList()).discovery(discovery).progress(progress)
                .summary(summary).history(history).marking(marking).schedule(schedule).lastResult(lastResult)
                .nextRunTime(nextRunTime);
    }

    /** A status field by field; {@link #condition} sets one condition, replacing one of the same type. */
    public static final class Builder {
        private FleetPhase phase;
        private String reason;
        private String message;
        private String runId;
        private Long seed;
        private String startTime;
        private String completionTime;
        private Long observedGeneration;
        private String waitingFor;
        private String healthy;
        private Integer faults;
        private final List<Condition> conditions = new ArrayList<>();
        private FleetDiscovery discovery;
        private FleetProgress progress;
        private FleetSummary summary;
        private List<FleetHistoryEntry> history;
        private FleetMarkingStatus marking;
        private FleetScheduleStatus schedule;
        private String lastResult;
        private String nextRunTime;

        private Builder() {
        }

        public Builder phase(FleetPhase phase) {
            this.phase = phase;
            return this;
        }

        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        public Builder reason(Reason reason) {
            return reason(reason == null ? null : reason.name());
        }

        public Builder message(String message) {
            this.message = message;
            return this;
        }

        public Builder runId(String runId) {
            this.runId = runId;
            return this;
        }

        public Builder seed(Long seed) {
            this.seed = seed;
            return this;
        }

        public Builder startTime(String startTime) {
            this.startTime = startTime;
            return this;
        }

        public Builder completionTime(String completionTime) {
            this.completionTime = completionTime;
            return this;
        }

        public Builder observedGeneration(Long observedGeneration) {
            this.observedGeneration = observedGeneration;
            return this;
        }

        public Builder waitingFor(String waitingFor) {
            this.waitingFor = waitingFor;
            return this;
        }

        public Builder healthy(String healthy) {
            this.healthy = healthy;
            return this;
        }

        public Builder faults(Integer faults) {
            this.faults = faults;
            return this;
        }

        public Builder conditions(List<Condition> conditions) {
            this.conditions.clear();
            this.conditions.addAll(conditions);
            return this;
        }

        /** A condition as the caller decides it ({@link ConditionedStatus#decided}); the aggregator stamps it. */
        public Builder condition(String type, Boolean status, Reason reason, String message, Long generation) {
            conditions.removeIf(c -> type.equals(c.getType()));
            conditions.add(ConditionedStatus.decided(type, status, reason, message, generation));
            return this;
        }

        public Builder condition(String type, Boolean status, Reason reason, String message) {
            return condition(type, status, reason, message, null);
        }

        public Builder discovery(FleetDiscovery discovery) {
            this.discovery = discovery;
            return this;
        }

        public Builder progress(FleetProgress progress) {
            this.progress = progress;
            return this;
        }

        public Builder summary(FleetSummary summary) {
            this.summary = summary;
            return this;
        }

        public Builder history(List<FleetHistoryEntry> history) {
            this.history = history == null || history.isEmpty() ? null : List.copyOf(history);
            return this;
        }

        public Builder marking(FleetMarkingStatus marking) {
            this.marking = marking;
            return this;
        }

        public Builder schedule(FleetScheduleStatus schedule) {
            this.schedule = schedule == null || schedule.equals(FleetScheduleStatus.NONE) ? null : schedule;
            return this;
        }

        public Builder lastResult(String lastResult) {
            this.lastResult = lastResult;
            return this;
        }

        public Builder nextRunTime(String nextRunTime) {
            this.nextRunTime = nextRunTime;
            return this;
        }

        public NeperFleetTestStatus build() {
            return new NeperFleetTestStatus(phase, reason, message, runId, seed, startTime, completionTime,
                    observedGeneration, waitingFor, healthy, faults, List.copyOf(conditions), discovery, progress,
                    summary, history, marking, schedule, lastResult, nextRunTime);
        }
    }
}
