package dev.neper.fleet.runner.doctor;

import dev.neper.fleet.runner.contract.LinkPlacement;

import java.util.ArrayList;
import java.util.List;

/**
 * The doctor's findings: the mode and links checked, every check, whether all prerequisites passed,
 * and the map a links run of these links would use (each link's NIC, GPU and CPUs, and why).
 */
public record DoctorReport(int schemaVersion, String mode, List<String> links, boolean ok, List<Check> checks,
                           List<LinkPlacement> placements) {
    public static final int SCHEMA_VERSION = 1;

    public DoctorReport {
        links = List.copyOf(links);
        checks = List.copyOf(checks);
        placements = placements == null ? List.of() : List.copyOf(placements);
    }

    public static DoctorReport of(String mode, List<String> links, List<Check> checks) {
        return new DoctorReport(SCHEMA_VERSION, mode, links,
                checks.stream().noneMatch(c -> c.status() == Check.Status.FAIL), checks, List.of());
    }

    public DoctorReport withPlacements(List<LinkPlacement> map) {
        return new DoctorReport(schemaVersion, mode, links, ok, checks, map);
    }

    /** A fixed-width table: CHECK, SCOPE, RESULT, DETAIL. */
    public List<String> table() {
        int nameWidth = Math.max(5, checks.stream().mapToInt(c -> c.name().length()).max().orElse(0));
        int scopeWidth = Math.max(5, checks.stream().mapToInt(c -> c.scope().length()).max().orElse(0));
        String format = "%-" + nameWidth + "s  %-" + scopeWidth + "s  %-6s  %s";
        List<String> lines = new ArrayList<>();
        lines.add(String.format(format, "CHECK", "SCOPE", "RESULT", "DETAIL"));
        for (Check c : checks) {
            lines.add(String.format(format, c.name(), c.scope(), c.status(), c.detail()));
        }
        if (!placements.isEmpty()) {
            lines.add("");
            lines.add("MAP (what neper-runner links would use)");
            placements.forEach(p -> lines.add(p.device() + ": " + p.describe()));
        }
        lines.add("");
        lines.add(ok ? "doctor: every prerequisite of --mode " + mode + " passed"
                : "doctor: " + checks.stream().filter(c -> c.status() == Check.Status.FAIL).count()
                + " prerequisite(s) of --mode " + mode + " failed");
        return lines;
    }
}
