package dev.neper.fleet.runner.contract;


import java.util.List;

/** The full result of a multi-link run (--report-json of `neper-runner links`): one report per link. */
public record NodeReport(int schemaVersion, String runnerVersion, Role role, boolean succeeded, List<LinkReport> links) {
    public static final int SCHEMA_VERSION = 1;

    public NodeReport {
        links = List.copyOf(links);
    }
}
