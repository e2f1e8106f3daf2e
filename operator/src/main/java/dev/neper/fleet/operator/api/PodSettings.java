package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.List;

/** Runner pod settings that are not about the runner itself. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PodSettings(
        @JsonPropertyDescription("Tolerations for the runner pods, for taints with effect NoExecute in particular (pods"
                + " are pinned with nodeName, so NoSchedule taints do not keep them off a node).")
        List<Toleration> tolerations,

        @Size(max = 253)
        @JsonPropertyDescription("PriorityClass of the runner pods.")
        String priorityClassName,

        @Default("OnFailure")
        @JsonPropertyDescription("Which finished pods to keep for their logs: OnFailure (default: pods of a passed test"
                + " are deleted, those of a failed test kept), Always or Never. Pods still running when the test ends"
                + " are always deleted, which stops them.")
        KeepPods keep) {

    public static final PodSettings DEFAULT = new PodSettings(null, null, null);

    public KeepPods keepOrDefault() {
        return keep == null ? KeepPods.OnFailure : keep;
    }

    public List<Toleration> tolerationList() {
        return tolerations == null ? List.of() : tolerations;
    }

    public enum KeepPods { OnFailure, Always, Never }
}
