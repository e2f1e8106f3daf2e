package dev.neper.fleet.runner.engine;

/**
 * What a {@link FlowIoFactory} knows about the flow it opens IO for. Its socket {@code fd} is
 * nonblocking (SOCK_NONBLOCK, as every data socket and warm-up pair is opened), so its IO may use
 * the critical {@code Libc.recvNonBlocking} and {@code Libc.sendNonBlocking}.
 */
public record FlowContext(int thread, int flowInThread, int fd, int bufferSize, boolean reads, boolean writes) {
}
