package dev.neper.fleet.runner.output;

import dev.neper.fleet.runner.contract.DevmemReport;
import dev.neper.fleet.runner.contract.ReceiverReport;
import dev.neper.fleet.runner.contract.Role;
import dev.neper.fleet.runner.contract.RunReport;
import dev.neper.fleet.runner.contract.ValidationReport;
import dev.neper.fleet.runner.contract.ZerocopyReport;
import dev.neper.fleet.runner.contract.Options;
import dev.neper.fleet.runner.stats.ThroughputCalculator;
import dev.neper.fleet.runner.sys.Rusage;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** neper's key=value output: the start block before a run and the end block after it. */
public final class NeperOutput {
    /** The VERSION neper prints; parsers of neper output key on it, so the runner prints the same. */
    public static final String NEPER_VERSION = "1.1.0";

    private NeperOutput() {
    }

    /** VERSION, every option, total_run_time; and, when not a dry run, the CPUs threads may use. */
    public static List<String> startLines(Options options, List<String> allowedCores) {
        List<String> lines = new ArrayList<>();
        lines.add("VERSION=" + NEPER_VERSION);
        lines.addAll(options.dumpLines());
        lines.add("total_run_time=" + options.testLength());
        lines.addAll(allowedCores);
        return lines;
    }

    public static List<String> endLines(RunReport report) {
        List<String> lines = new ArrayList<>();
        lines.add("invalid_secret_count=" + report.invalidSecretCount());
        lines.add("time_start=" + ThroughputCalculator.monotonic(report.timeStartNanos()));
        Rusage start = report.usage().start();
        Rusage end = report.usage().end();
        lines.add("utime_start=" + Rusage.seconds(start.utimeMicros()));
        lines.add("utime_end=" + Rusage.seconds(end.utimeMicros()));
        lines.add("stime_start=" + Rusage.seconds(start.stimeMicros()));
        lines.add("stime_end=" + Rusage.seconds(end.stimeMicros()));
        lines.add("maxrss_start=" + start.maxrss());
        lines.add("maxrss_end=" + end.maxrss());
        lines.add("minflt_start=" + start.minflt());
        lines.add("minflt_end=" + end.minflt());
        lines.add("majflt_start=" + start.majflt());
        lines.add("majflt_end=" + end.majflt());
        lines.add("nvcsw_start=" + start.nvcsw());
        lines.add("nvcsw_end=" + end.nvcsw());
        lines.add("nivcsw_start=" + start.nivcsw());
        lines.add("nivcsw_end=" + end.nivcsw());
        ReceiverReport receiver = report.receiver();
        if (receiver != null) {
            lines.add("num_samples=" + receiver.numSamples());
            if (receiver.throughputUnits() != null) {
                lines.add("time_end=" + ThroughputCalculator.monotonic(receiver.timeEndNanos()));
                lines.add("correlation_coefficient=" + twoDecimals(receiver.correlationCoefficient()));
                lines.add("throughput=" + twoDecimals(receiver.throughput()));
                lines.add("throughput_units=" + receiver.throughputUnits());
            }
        }
        ZerocopyReport zerocopy = report.zerocopy();
        if (zerocopy != null && zerocopy.receiving()) {
            lines.add("bytes_mmaped=" + zerocopy.bytesMapped());
            lines.add("percent_mmaped=" + zerocopy.percentMapped());
        }
        // the wire's rates are u64: a peer's 2^64-1 is that, not -1
        lines.add("local_throughput=" + Long.toUnsignedString(report.localThroughputBitsPerSecond()));
        lines.add("remote_throughput=" + Long.toUnsignedString(report.remoteThroughputBitsPerSecond()));
        if (zerocopy != null && zerocopy.sending()) {
            lines.add("zerocopy_sends=" + zerocopy.sends());
            lines.add("zerocopy_completed_sends=" + zerocopy.completedSends());
            lines.add("zerocopy_copied_sends=" + zerocopy.copiedSends());
        }
        if (report.role() == Role.SERVER) {
            lines.add("refused_data_connections=" + report.refusedDataConnections());
        }
        lines.addAll(devmemLines(report));
        return lines;
    }

    /** The runner's additions, after neper's keys and the zerocopy send counters: validation and devmem counters, when present. */
    static List<String> devmemLines(RunReport report) {
        List<String> lines = new ArrayList<>();
        ValidationReport validation = report.validation();
        if (validation != null) {
            lines.add("validated_bytes=" + validation.validatedBytes());
            lines.add("validation_mismatches=" + validation.mismatches());
            ValidationReport.MismatchReport first = validation.firstMismatch();
            if (first != null) {
                lines.add("first_mismatch=flow " + first.flow() + " offset " + first.offset() + " expected "
                        + first.expected() + " got " + first.got());
            }
        }
        DevmemReport devmem = report.devmem();
        if (devmem != null) {
            lines.add("devmem_bytes=" + devmem.devmemBytes());
            lines.add("devmem_linear_bytes=" + devmem.linearBytes());
            lines.add("devmem_fragments=" + devmem.fragments());
            lines.add("devmem_fragments_returned=" + devmem.fragmentsReturned());
            lines.add("devmem_zerocopy_sends=" + devmem.zerocopySends());
            lines.add("devmem_completed_sends=" + devmem.completedSends());
            lines.add("devmem_copied_sends=" + devmem.copiedSends());
            lines.add("devmem_control_truncations=" + devmem.controlTruncations());
            if (!devmem.flowRules().isEmpty()) {
                lines.add("devmem_flow_rules=" + devmem.flowRules().size());
                lines.add("devmem_flow_rule_match=" + devmem.flowRuleMatch());
            }
        }
        return lines;
    }

    /** C's %.2f, including its "nan" for a correlation over no variation. */
    static String twoDecimals(double value) {
        return Double.isNaN(value) ? "nan" : String.format(Locale.ROOT, "%.2f", value);
    }

    public static void print(PrintStream out, List<String> lines) {
        for (String line : lines) {
            out.println(line);
        }
        out.flush();
    }
}
