package dev.neper.fleet.operator.observe;

/** What a runner pod is doing, as far as the operator's decisions go. */
public enum PodState {
    /** Waiting to run: scheduling, admission, image pull, container creation. */
    PENDING,
    /** The scheduler said it cannot place the pod (PodScheduled=False, Unschedulable). */
    UNSCHEDULABLE,
    /** The kubelet refused or ended the pod before its container ran (admission: OutOfnvidia.com/gpu, ...). */
    REJECTED,
    /** The kubelet cannot pull the image. */
    IMAGE_PULL_FAILED,
    /** The kubelet cannot create or start the container. */
    START_FAILED,
    /** The runner runs; for a server, not yet listening on every link. */
    RUNNING,
    /** The runner runs and its readiness probe passes. */
    READY,
    /** The runner exited 0. */
    SUCCEEDED,
    /** The runner exited non-zero. */
    FAILED;

    public boolean isTerminated() {
        return this == SUCCEEDED || this == FAILED || this == REJECTED;
    }
}
