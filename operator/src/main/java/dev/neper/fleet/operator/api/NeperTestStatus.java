package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.List;

/**
 * What the operator observed; written by the operator only. Built with {@link #builder()} (or
 * {@link #toBuilder()}); conditions a builder leaves unset are filled by the status aggregator.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
// a status a newer operator wrote (before a rollback) may have fields this one does not know: they are its own
@JsonIgnoreProperties(ignoreUnknown = true)
public record NeperTestStatus(
        @JsonPropertyDescription("Pending (validating, or waiting for nodes another test uses), Starting (server pods"
                + " starting), Running (clients sending), Succeeded (every link passed) or Failed.")
        TestPhase phase,

        @JsonPropertyDescription("Why the test is in its phase, as a CamelCase reason (the Complete condition's reason"
                + " once it ended).")
        String reason,

        @JsonPropertyDescription("A sentence for humans saying what the reason means for this test.")
        String message,

        @JsonPropertyDescription("When the run started: its first pod was created (RFC 3339).")
        String startTime,

        @JsonPropertyDescription("When the run ended (RFC 3339).")
        String completionTime,

        @JsonPropertyDescription("The metadata.generation of the spec this status describes.")
        Long observedGeneration,

        @JsonPropertyDescription("The NeperTest (namespace/name) this one waits for, because both use a node.")
        String waitingFor,

        @JsonPropertyDescription("Conditions: Complete (the test ended, whatever its verdict), Passed (every link passed),"
                + " ServersReady, WaitingForNodes, InvalidSpec and SpecChanged; each with the generation it was set for.")
        List<Condition> conditions,

        @JsonPropertyDescription("Links passed of total, and throughput statistics over the measured links.")
        TestSummary summary,

        @JsonPropertyDescription("One entry per spec pair, in spec order, with per-link results.")
        List<PairStatus> pairs) implements ConditionedStatus<NeperTestStatus> {

    @Override
    public List<Condition> conditionList() {
        return conditions == null ? List.of() : conditions;
    }

    public List<PairStatus> pairList() {
        return pairs == null ? List.of() : pairs;
    }

    @Override
    public NeperTestStatus withConditions(List<Condition> conditions) {
        return toBuilder().conditions(conditions).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().phase(phase).reason(reason).message(message).startTime(startTime)
                .completionTime(completionTime).observedGeneration(observedGeneration).waitingFor(waitingFor)
                .conditions(conditionList()).summary(summary).pairs(pairs);
    }

    /** A status field by field; {@link #condition} sets one condition, replacing one of the same type. */
    public static final class Builder {
        private TestPhase phase;
        private String reason;
        private String message;
        private String startTime;
        private String completionTime;
        private Long observedGeneration;
        private String waitingFor;
        private final List<Condition> conditions = new ArrayList<>();
        private TestSummary summary;
        private List<PairStatus> pairs;

        private Builder() {
        }

        public Builder phase(TestPhase phase) {
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

        public Builder summary(TestSummary summary) {
            this.summary = summary;
            return this;
        }

        public Builder pairs(List<PairStatus> pairs) {
            this.pairs = pairs;
            return this;
        }

        public NeperTestStatus build() {
            return new NeperTestStatus(phase, reason, message, startTime, completionTime, observedGeneration,
                    waitingFor, List.copyOf(conditions), summary, pairs);
        }
    }
}
