package dev.neper.fleet.runner.contract;

import java.util.List;

/**
 * Whether a link can do devmem, as far as the doctor's per-link checks tell without a run (driver
 * probes, header split, ntuple, RSS): {@code capable} is true when every check passed, false when one
 * failed, null when none failed but some could not tell (or the device was not checked).
 * {@code problems} are the failed and undecided checks, "check: detail".
 */
public record DevmemCapability(Boolean capable, List<String> problems) {
    public DevmemCapability {
        problems = problems == null ? List.of() : List.copyOf(problems);
    }
}
