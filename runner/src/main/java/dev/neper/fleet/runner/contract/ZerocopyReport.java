package dev.neper.fleet.runner.contract;

/**
 * Host memory's zerocopy counters over all flows. Send (--zerocopy): sends taken with MSG_ZEROCOPY,
 * completions read from the error queue, and how many of those the kernel copied after all (always,
 * over loopback and veth). Receive (--rx-zerocopy): bytes TCP_ZEROCOPY_RECEIVE mapped and all bytes
 * received, as neper's bytes_mmaped and percent_mmaped report them.
 */
public record ZerocopyReport(boolean sending, long sends, long completedSends, long copiedSends, boolean receiving,
                             long bytesMapped, long bytesReceived) {
    /** neper's percent_mmaped: 100 x mapped / received, in whole percent. */
    public long percentMapped() {
        return bytesMapped == 0 ? 0 : 100 * bytesMapped / bytesReceived;
    }
}
