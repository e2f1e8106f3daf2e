package dev.neper.fleet.runner.contract;


/** One link of a multi-link run and the full report of its stream engine. */
public record LinkReport(LinkSpec link, RunReport report) {
}
