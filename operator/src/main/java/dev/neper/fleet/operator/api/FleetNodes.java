package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which nodes a fleet run tests. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetNodes(
        @JsonPropertyDescription("A label selector over Node objects (matchLabels, matchExpressions with In, NotIn,"
                + " Exists, DoesNotExist), as a Deployment's; absent or empty: every node.")
        LabelSelector selector,

        @Size(max = MAX_EXCLUDED)
        @JsonPropertyDescription("Names of selected nodes not to test; they get the verdict Skipped.")
        List<String> exclude) {

    public static final int MAX_EXCLUDED = 10_000;

    public List<String> excludeList() {
        return exclude == null ? List.of() : exclude;
    }

    /** Whether a node with these labels is selected (exclusions aside): every requirement holds. */
    public boolean selects(Map<String, String> labels) {
        Map<String, String> have = labels == null ? Map.of() : labels;
        if (selector == null) {
            return true;
        }
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> wanted : selector.getMatchLabels().entrySet()) {
                if (!wanted.getValue().equals(have.get(wanted.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
                if (!holds(requirement, have)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** An operator the selector uses that Kubernetes does not know, or null: the operator's spec check. */
    public String unknownOperator() {
        if (selector == null || selector.getMatchExpressions() == null) {
            return null;
        }
        return selector.getMatchExpressions().stream().map(LabelSelectorRequirement::getOperator)
                .filter(o -> !Set.of("In", "NotIn", "Exists", "DoesNotExist").contains(o)).findFirst().orElse(null);
    }

    private static boolean holds(LabelSelectorRequirement requirement, Map<String, String> labels) {
        String value = labels.get(requirement.getKey());
        List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
        return switch (String.valueOf(requirement.getOperator())) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> false;
        };
    }
}
