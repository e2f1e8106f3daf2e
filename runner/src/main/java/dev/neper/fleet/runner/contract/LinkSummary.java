package dev.neper.fleet.runner.contract;


/**
 * One link's result in a few fields: what the operator needs for its status. {@code throughputGbps}
 * is the receiver's neper throughput in Gbit/s (null on a side that did not receive); the validation
 * counts are null when validation was off; {@code errorKind} and {@code error} describe the first
 * error (the message may be shortened to fit a termination message).
 */
public record LinkSummary(String device, boolean succeeded, Double throughputGbps, long bytesReceived,
                          long bytesSent, Long validatedBytes, Long mismatches, ErrorKind errorKind, String error) {
}
