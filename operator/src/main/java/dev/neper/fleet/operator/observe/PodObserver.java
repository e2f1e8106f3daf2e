package dev.neper.fleet.operator.observe;

import dev.neper.fleet.operator.pods.Labels;
import dev.neper.fleet.operator.pods.Role;
import dev.neper.fleet.operator.pods.RunnerPodTemplate;
import dev.neper.fleet.runner.contract.NodeSummary;
import dev.neper.fleet.runner.contract.ReportJson;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

/** Reads a runner pod's labels and status into an {@link ObservedPod}. */
public final class PodObserver {
    private static final Set<String> IMAGE_PULL_REASONS =
            Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");
    private static final Set<String> START_FAILURE_REASONS =
            Set.of("CreateContainerConfigError", "CreateContainerError", "RunContainerError", "PreCreateHookError",
                    "PreStartHookError", "PostStartHookError");

    private PodObserver() {
    }

    /** The observation of a pod the operator labelled, or empty for a pod without its labels. */
    public static Optional<ObservedPod> observe(Pod pod) {
        var labels = pod.getMetadata().getLabels();
        if (labels == null) {
            return Optional.empty();
        }
        Role role = Role.fromLabel(labels.get(Labels.ROLE));
        Integer pair = parseInt(labels.get(Labels.PAIR));
        Long generation = parseLong(labels.get(Labels.GENERATION));
        if (role == null || pair == null || generation == null) {
            return Optional.empty();
        }
        Instant created = parseTime(pod.getMetadata().getCreationTimestamp());
        boolean deleting = pod.getMetadata().getDeletionTimestamp() != null;
        PodStatus status = pod.getStatus();
        ContainerStatus container = status == null || status.getContainerStatuses() == null ? null
                : status.getContainerStatuses().stream()
                        .filter(c -> RunnerPodTemplate.CONTAINER.equals(c.getName())).findFirst().orElse(null);
        ContainerState state = container == null ? null : container.getState();
        ContainerStateTerminated terminated = state == null ? null : state.getTerminated();
        String phase = status == null || status.getPhase() == null ? "Pending" : status.getPhase();

        if (terminated != null && (phase.equals("Running") || phase.equals("Succeeded") || phase.equals("Failed"))) {
            int exitCode = terminated.getExitCode() == null ? -1 : terminated.getExitCode();
            String text = terminated.getMessage();
            return Optional.of(new ObservedPod(pod, role, pair, generation,
                    exitCode == 0 ? PodState.SUCCEEDED : PodState.FAILED, terminated.getReason(), null, created,
                    deleting, exitCode, text, parseSummary(text), terminated.getSignal(),
                    parseTime(terminated.getFinishedAt())));
        }
        if (phase.equals("Failed") || phase.equals("Succeeded")) {
            // ended without its container ever ending: refused at admission, evicted, or past activeDeadlineSeconds
            return Optional.of(simple(pod, role, pair, generation, PodState.REJECTED, status.getReason(),
                    status.getMessage(), created, deleting));
        }
        if (phase.equals("Running")) {
            boolean ready = hasCondition(status, "Ready", "True")
                    || (container != null && Boolean.TRUE.equals(container.getReady()));
            return Optional.of(simple(pod, role, pair, generation, ready ? PodState.READY : PodState.RUNNING,
                    null, null, created, deleting));
        }
        PodCondition scheduled = condition(status, "PodScheduled");
        if (scheduled != null && "False".equals(scheduled.getStatus())) {
            return Optional.of(simple(pod, role, pair, generation, PodState.UNSCHEDULABLE, scheduled.getReason(),
                    scheduled.getMessage(), created, deleting));
        }
        ContainerStateWaiting waiting = state == null ? null : state.getWaiting();
        if (waiting != null && waiting.getReason() != null) {
            PodState pending = IMAGE_PULL_REASONS.contains(waiting.getReason()) ? PodState.IMAGE_PULL_FAILED
                    : START_FAILURE_REASONS.contains(waiting.getReason()) ? PodState.START_FAILED : PodState.PENDING;
            return Optional.of(simple(pod, role, pair, generation, pending, waiting.getReason(), waiting.getMessage(),
                    created, deleting));
        }
        String reason = phase.equals("Pending") ? null : "phase " + phase;
        return Optional.of(simple(pod, role, pair, generation, PodState.PENDING, reason,
                status == null ? null : status.getMessage(), created, deleting));
    }

    private static ObservedPod simple(Pod pod, Role role, int pair, long generation, PodState state, String reason,
                                      String message, Instant created, boolean deleting) {
        return new ObservedPod(pod, role, pair, generation, state, reason, message, created, deleting, null, null, null,
                null, null);
    }

    /** The runner's node summary, or null when the text is not one (empty, or the kubelet's log-tail fallback). */
    static NodeSummary parseSummary(String text) {
        if (text == null || text.isBlank() || !text.stripLeading().startsWith("{")) {
            return null;
        }
        try {
            return ReportJson.fromJson(text, NodeSummary.class);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean hasCondition(PodStatus status, String type, String value) {
        PodCondition condition = condition(status, type);
        return condition != null && value.equals(condition.getStatus());
    }

    private static PodCondition condition(PodStatus status, String type) {
        if (status == null || status.getConditions() == null) {
            return null;
        }
        return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private static Integer parseInt(String text) {
        try {
            return text == null ? null : Integer.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long parseLong(String text) {
        try {
            return text == null ? null : Long.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant parseTime(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
