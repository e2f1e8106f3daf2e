package dev.neper.fleet.runner.contract;

/**
 * One data connection: where it ran (thread, index within the thread), its endpoints, the bytes it
 * moved each way, its own receive rate (bits/s over its first to last sample; 0 if it only sent)
 * and the error that ended it early, if any.
 */
public record FlowReport(int thread, int flow, String localAddress, String remoteAddress, long bytesReceived,
                         long bytesSent, double receiveBitsPerSecond, String error) {
}
