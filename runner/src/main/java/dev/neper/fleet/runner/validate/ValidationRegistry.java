package dev.neper.fleet.runner.validate;

import dev.neper.fleet.runner.contract.ErrorKind;
import dev.neper.fleet.runner.contract.RunError;
import dev.neper.fleet.runner.contract.ValidationReport;

import java.util.ArrayList;
import java.util.List;

/**
 * The validators of a run's receiving flows: opened by each flow on its worker thread, summed up
 * once the workers have stopped.
 */
public final class ValidationRegistry {
    private final List<StreamValidator> validators = new ArrayList<>();

    public synchronized StreamValidator open(String flow) {
        StreamValidator validator = new StreamValidator(flow);
        validators.add(validator);
        return validator;
    }

    /** Totals over all flows; null when no flow received (a pure sender validates nothing). */
    public synchronized ValidationReport report() {
        if (validators.isEmpty()) {
            return null;
        }
        long bytes = 0;
        long mismatches = 0;
        Mismatch first = null;
        for (StreamValidator v : validators) {
            bytes += v.validatedBytes();
            mismatches += v.mismatches();
            if (first == null && v.firstMismatch() != null) {
                first = v.firstMismatch();
            }
        }
        return new ValidationReport(bytes, mismatches, first == null ? null
                : new ValidationReport.MismatchReport(first.flow(), first.offset(), first.expected(), first.got()));
    }

    /** A VALIDATION error when any byte mismatched. */
    public List<RunError> errors() {
        ValidationReport report = report();
        List<RunError> errors = new ArrayList<>();
        if (report != null && report.mismatches() > 0) {
            ValidationReport.MismatchReport f = report.firstMismatch();
            errors.add(new RunError(ErrorKind.VALIDATION, report.mismatches() + " of " + report.validatedBytes()
                    + " validated bytes did not match the pattern; first: flow " + f.flow() + " at stream offset "
                    + f.offset() + ": expected " + f.expected() + ", got " + f.got()));
        }
        return errors;
    }
}
