package dev.neper.fleet.runner.multi;

import dev.neper.fleet.runner.report.RunReport;

/** One link of a multi-link run and the full report of its stream engine. */
public record LinkReport(LinkSpec link, RunReport report) {
}
