package dev.neper.fleet.runner.contract;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.neper.fleet.runner.sys.Rusage;

import java.util.List;

/**
 * The structured result of one tcp_stream run: the contract between the runner and whatever reads
 * its results (the operator, tests, scripts). Written by {@code --report-json}; documented in
 * docs/report-json.md. {@code receiver} is null on a side that did not read; {@code validation} is null
 * unless the side read with --tcpd-validate; {@code devmem} is null in host memory mode;
 * {@code zerocopy} is null unless host memory ran with --zerocopy or --rx-zerocopy.
 * {@code refusedDataConnections} counts the stray connections a server refused on its data ports
 * (not announced by a control session, or beyond its announced flows); their bytes are never counted.
 * {@code remoteThroughputBitsPerSecond} is the peer's u64 as the wire gave it, written unsigned.
 */
public record RunReport(int schemaVersion, String runnerVersion, Role role, boolean succeeded, Options options,
                        String controlPeer, int invalidSecretCount, int refusedDataConnections, long timeStartNanos,
                        ReceiverReport receiver, long localThroughputBitsPerSecond,
                        @JsonSerialize(using = UnsignedLongJson.Serializer.class)
                        @JsonDeserialize(using = UnsignedLongJson.Deserializer.class) long remoteThroughputBitsPerSecond,
                        UsageReport usage, List<FlowReport> flows, List<RunError> errors, ValidationReport validation,
                        DevmemReport devmem, ZerocopyReport zerocopy) {
    public static final int SCHEMA_VERSION = 1;

    public RunReport {
        flows = List.copyOf(flows);
        errors = List.copyOf(errors);
    }

    /** A report without validation or devmem counters: a host-memory run without --tcpd-validate. */
    public RunReport(int schemaVersion, String runnerVersion, Role role, boolean succeeded, Options options,
                     String controlPeer, int invalidSecretCount, long timeStartNanos, ReceiverReport receiver,
                     long localThroughputBitsPerSecond, long remoteThroughputBitsPerSecond, UsageReport usage,
                     List<FlowReport> flows, List<RunError> errors) {
        this(schemaVersion, runnerVersion, role, succeeded, options, controlPeer, invalidSecretCount, 0, timeStartNanos,
                receiver, localThroughputBitsPerSecond, remoteThroughputBitsPerSecond, usage, flows, errors, null, null,
                null);
    }

    /** The report of a run that failed while setting up its data path, before any connection. */
    public static RunReport setupFailed(Options options, String runnerVersion, RunError error) {
        return new RunReport(SCHEMA_VERSION, runnerVersion, options.client() ? Role.CLIENT : Role.SERVER, false, options,
                null, 0, 0, 0, null, 0, 0, new UsageReport(Rusage.ZERO, Rusage.ZERO), List.of(), List.of(error), null, null,
                null);
    }

    /** The same report, failed, with {@code error} first: the one a summary shows. */
    public RunReport withFirstError(RunError error) {
        List<RunError> all = new java.util.ArrayList<>(errors.size() + 1);
        all.add(error);
        all.addAll(errors);
        return new RunReport(schemaVersion, runnerVersion, role, false, options, controlPeer, invalidSecretCount,
                refusedDataConnections, timeStartNanos, receiver, localThroughputBitsPerSecond,
                remoteThroughputBitsPerSecond, usage, flows, all, validation, devmem, zerocopy);
    }

    /** Bytes received over all flows. */
    public long bytesReceived() {
        return flows.stream().mapToLong(FlowReport::bytesReceived).sum();
    }

    /** Bytes sent over all flows. */
    public long bytesSent() {
        return flows.stream().mapToLong(FlowReport::bytesSent).sum();
    }
}
