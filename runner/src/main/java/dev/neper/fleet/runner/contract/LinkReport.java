package dev.neper.fleet.runner.contract;


/**
 * One link of a multi-link run (as run: with the NIC and GPU the placement chose), the full report of
 * its stream engine, and the placement it ran with (null in reports from before placements).
 */
public record LinkReport(LinkSpec link, RunReport report, LinkPlacement placement) {
}
