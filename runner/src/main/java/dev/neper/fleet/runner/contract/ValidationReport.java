package dev.neper.fleet.runner.contract;

/**
 * What --tcpd-validate found on the receiving side: bytes compared with the pattern over all flows,
 * bytes that differed, and the first difference (null when none).
 */
public record ValidationReport(long validatedBytes, long mismatches, MismatchReport firstMismatch) {
    /** The first mismatched byte: the flow ("thread/flow"), its stream offset, the expected and the received value. */
    public record MismatchReport(String flow, long offset, int expected, int got) {
    }
}
