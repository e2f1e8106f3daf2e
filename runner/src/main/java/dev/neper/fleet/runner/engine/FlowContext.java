package dev.neper.fleet.runner.engine;

/** What a {@link FlowIoFactory} knows about the flow it opens IO for. */
public record FlowContext(int thread, int flowInThread, int fd, int bufferSize, boolean reads, boolean writes) {
}
