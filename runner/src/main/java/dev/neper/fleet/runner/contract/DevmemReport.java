package dev.neper.fleet.runner.contract;

import java.util.List;

/**
 * The devmem data path's counters over all flows. Receive: bytes that arrived in device memory
 * (DMABUF fragments), bytes that arrived in host memory instead (LINEAR, header-split fallback: the
 * seed's "flow steering flakes"), DMABUF fragments, and fragments handed back to the kernel.
 * Send: zerocopy sends, completions reaped and how many of those the kernel had to copy.
 * {@code controlTruncations}: receives the control buffer cut short (MSG_CTRUNC, or fewer bytes than
 * asked with the control buffer full); the data is not lost, but many mean more receives than needed.
 * {@code flowRules}: the rules a receiver steered its flows with (empty on a sender).
 */
public record DevmemReport(String memory, String link, Integer rxBinding, Integer txBinding, long devmemBytes,
                           long linearBytes, long fragments, long fragmentsReturned, long zerocopySends,
                           long completedSends, long copiedSends, long controlTruncations,
                           List<FlowRuleReport> flowRules) {
    public DevmemReport {
        flowRules = flowRules == null ? List.of() : List.copyOf(flowRules);
    }

    /** What the rules matched, each form once in flow order ("5-tuple", or e.g. "dst-ip+dst-port" after a fallback). */
    public String flowRuleMatch() {
        return String.join(",", flowRules.stream().map(FlowRuleReport::match).distinct().toList());
    }
}
