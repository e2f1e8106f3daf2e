package dev.neper.fleet.operator.api;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.util.List;

/**
 * A custom resource's status that carries conditions and the generation it describes: what the
 * operator's shared status machinery (the recorder, reconcile-failure conditions) needs of any status.
 */
public interface ConditionedStatus<S extends ConditionedStatus<S>> {
    List<Condition> conditionList();

    S withConditions(List<Condition> conditions);

    Long observedGeneration();

    /**
     * A condition as a reconcile decides it: status True, False or (null) Unknown, without a
     * lastTransitionTime, and with {@code generation} when it is decided for another generation than
     * its status's (null: the status's); the status machinery stamps both.
     */
    static Condition decided(String type, Boolean status, Reason reason, String message, Long generation) {
        return new ConditionBuilder()
                .withType(type)
                .withStatus(status == null ? "Unknown" : status ? "True" : "False")
                .withReason(reason.name())
                .withMessage(message == null ? "" : message)
                .withObservedGeneration(generation)
                .build();
    }
}
