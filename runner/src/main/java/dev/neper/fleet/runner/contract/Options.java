package dev.neper.fleet.runner.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tcp_stream command line as values: the runner's command-line contract. The parser produces it,
 * the engine runs it, the JSON report carries it (as variable name to value) and the operator builds
 * runner command lines from it with {@link #toArgs()}.
 */
public final class Options {
    private static final Options DEFAULTS = new Options(defaultValues());

    private final EnumMap<OptionSpec, Object> values;

    private Options(EnumMap<OptionSpec, Object> values) {
        this.values = values;
    }

    private static EnumMap<OptionSpec, Object> defaultValues() {
        EnumMap<OptionSpec, Object> values = new EnumMap<>(OptionSpec.class);
        for (OptionSpec option : OptionSpec.values()) {
            values.put(option, option.defaultValue());
        }
        return values;
    }

    public static Options defaults() {
        return DEFAULTS;
    }

    /** A copy with one option set; the value must have the Java type the option stores. */
    public Options with(OptionSpec option, Object value) {
        EnumMap<OptionSpec, Object> copy = new EnumMap<>(values);
        copy.put(option, ValueCodec.requireType(option, value));
        return new Options(copy);
    }

    public Object get(OptionSpec option) {
        return values.get(option);
    }

    public boolean isSet(OptionSpec option) {
        return !java.util.Objects.equals(values.get(option), option.defaultValue());
    }

    /**
     * The directions tcp_stream derives from the role, as neper's main() does: a client writes and a
     * server reads unless -M swaps them; -r and -w add to that.
     */
    public Options withDerivedDirections() {
        Options derived;
        if (enableTcpMaerts()) {
            derived = with(OptionSpec.ENABLE_READ, client()).with(OptionSpec.ENABLE_WRITE, !client());
        } else {
            derived = client() ? with(OptionSpec.ENABLE_WRITE, true) : with(OptionSpec.ENABLE_READ, true);
        }
        return splitBidir() ? derived.with(OptionSpec.ENABLE_READ, true).with(OptionSpec.ENABLE_WRITE, true) : derived;
    }

    /** Arguments that parse back to these options: every option that differs from its default. */
    public List<String> toArgs() {
        List<String> args = new ArrayList<>();
        for (OptionSpec option : OptionSpec.values()) {
            if (!isSet(option)) {
                continue;
            }
            if (option.type() == ValueType.FLAG) {
                args.add("--" + option.longName());
            } else {
                args.add("--" + option.longName() + "=" + ValueCodec.argument(option, values.get(option)));
            }
        }
        return Collections.unmodifiableList(args);
    }

    /**
     * neper's option echo: name=value for every option, in reverse definition order, num_flows as the
     * run uses it (doubled by --split-bidir, as neper prints it).
     */
    public List<String> dumpLines() {
        List<String> lines = new ArrayList<>();
        OptionSpec[] all = OptionSpec.values();
        for (int i = all.length - 1; i >= 0; i--) {
            Object value = all[i] == OptionSpec.NUM_FLOWS ? numFlows() : values.get(all[i]);
            lines.add(all[i].variableName() + "=" + ValueCodec.dump(all[i], value));
        }
        return lines;
    }

    @JsonValue
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        for (OptionSpec option : OptionSpec.values()) {
            Object value = values.get(option);
            map.put(option.variableName(), switch (value) {
                case ThroughputUnit unit -> unit.suffix();
                case MemoryMode mode -> mode.argument();
                case null, default -> value;
            });
        }
        return map;
    }

    /** Reads the map {@link #asMap()} writes; unknown names are refused, missing ones keep defaults. */
    @JsonCreator
    public static Options fromMap(Map<String, Object> map) {
        Options options = DEFAULTS;
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            OptionSpec option = OptionSpec.byVariableName(entry.getKey())
                    .orElseThrow(() -> new IllegalArgumentException("unknown option " + entry.getKey()));
            options = options.with(option, fromJson(option, entry.getValue()));
        }
        return options;
    }

    private static Object fromJson(OptionSpec option, Object value) {
        if (value == null) {
            return null;
        }
        return switch (option.type()) {
            case INT, PORT -> ((Number) value).intValue();
            case SIZE, RATE, DURATION -> ((Number) value).longValue();
            case DOUBLE -> ((Number) value).doubleValue();
            case UNIT -> ThroughputUnit.bySuffix((String) value)
                    .orElseThrow(() -> new IllegalArgumentException("unknown unit " + value));
            case MODE -> MemoryMode.byArgument((String) value)
                    .orElseThrow(() -> new IllegalArgumentException("unknown memory mode " + value));
            default -> value;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Options other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return String.join(" ", toArgs());
    }

    public int magic() {
        return (Integer) values.get(OptionSpec.MAGIC);
    }

    /**
     * The flows the run opens: -F, doubled with --split-bidir (one socket per direction), as neper's
     * main() doubles it. {@code get(NUM_FLOWS)} is -F as given, which {@link #toArgs} writes back.
     */
    public int numFlows() {
        int given = (Integer) values.get(OptionSpec.NUM_FLOWS);
        return splitBidir() ? 2 * given : given;
    }

    public int maxEvents() {
        return (Integer) values.get(OptionSpec.MAXEVENTS);
    }

    public boolean stimeUseProc() {
        return (Boolean) values.get(OptionSpec.STIME_USE_PROC);
    }

    public boolean debug() {
        return (Boolean) values.get(OptionSpec.DEBUG);
    }

    public boolean nonblocking() {
        return (Boolean) values.get(OptionSpec.NONBLOCKING);
    }

    public boolean freebind() {
        return (Boolean) values.get(OptionSpec.FREEBIND);
    }

    public long iostatMillis() {
        return (Long) values.get(OptionSpec.IOSTAT_MS);
    }

    public long waitStartSeconds() {
        return (Long) values.get(OptionSpec.WAIT_START);
    }

    public boolean tcpFastopen() {
        return (Boolean) values.get(OptionSpec.TCP_FASTOPEN);
    }

    public boolean pinNuma() {
        return (Boolean) values.get(OptionSpec.PIN_NUMA);
    }

    public boolean edgeTrigger() {
        return (Boolean) values.get(OptionSpec.EDGE_TRIGGER);
    }

    public boolean reuseaddr() {
        return (Boolean) values.get(OptionSpec.REUSEADDR);
    }

    public boolean zerocopy() {
        return (Boolean) values.get(OptionSpec.ZEROCOPY);
    }

    /** Nanoseconds to pause after each send. */
    public long delayNanos() {
        return (Long) values.get(OptionSpec.DELAY);
    }

    public boolean skipRxCopy() {
        return (Boolean) values.get(OptionSpec.SKIP_RX_COPY);
    }

    public boolean rxZerocopy() {
        return (Boolean) values.get(OptionSpec.RX_ZEROCOPY);
    }

    public boolean splitBidir() {
        return (Boolean) values.get(OptionSpec.SPLIT_BIDIR);
    }

    public boolean asyncConnect() {
        return (Boolean) values.get(OptionSpec.ASYNC_CONNECT);
    }

    public int numThreads() {
        return (Integer) values.get(OptionSpec.NUM_THREADS);
    }

    public int numClients() {
        return (Integer) values.get(OptionSpec.NUM_CLIENTS);
    }

    public int listenBacklog() {
        return (Integer) values.get(OptionSpec.LISTEN_BACKLOG);
    }

    public int suicideLength() {
        return (Integer) values.get(OptionSpec.SUICIDE_LENGTH);
    }

    public int sourcePort() {
        return (Integer) values.get(OptionSpec.SOURCE_PORT);
    }

    public boolean ipv4() {
        return (Boolean) values.get(OptionSpec.IPV4);
    }

    public boolean ipv6() {
        return (Boolean) values.get(OptionSpec.IPV6);
    }

    public boolean client() {
        return (Boolean) values.get(OptionSpec.CLIENT);
    }

    public boolean dryRun() {
        return (Boolean) values.get(OptionSpec.DRY_RUN);
    }

    public boolean pinCpu() {
        return (Boolean) values.get(OptionSpec.PIN_CPU);
    }

    public boolean logToStderr() {
        return (Boolean) values.get(OptionSpec.LOGTOSTDERR);
    }

    public boolean noLog() {
        return (Boolean) values.get(OptionSpec.NOLOG);
    }

    public double interval() {
        return (Double) values.get(OptionSpec.INTERVAL);
    }

    /** Bytes per second; 0 means unpaced. */
    public long maxPacingRate() {
        return (Long) values.get(OptionSpec.MAX_PACING_RATE);
    }

    public int mark() {
        return (Integer) values.get(OptionSpec.MARK);
    }

    public String localHosts() {
        return (String) values.get(OptionSpec.LOCAL_HOSTS);
    }

    public String host() {
        return (String) values.get(OptionSpec.HOST);
    }

    public int controlPort() {
        return (Integer) values.get(OptionSpec.CONTROL_PORT);
    }

    public int port() {
        return (Integer) values.get(OptionSpec.PORT);
    }

    public String allSamples() {
        return (String) values.get(OptionSpec.ALL_SAMPLES);
    }

    public boolean timeWait() {
        return (Boolean) values.get(OptionSpec.TIME_WAIT);
    }

    public int numPorts() {
        return (Integer) values.get(OptionSpec.NUM_PORTS);
    }

    public int tcpTxDelay() {
        return (Integer) values.get(OptionSpec.TCP_TX_DELAY);
    }

    public int testLength() {
        return (Integer) values.get(OptionSpec.TEST_LENGTH);
    }

    public ThroughputUnit throughputOpt() {
        return (ThroughputUnit) values.get(OptionSpec.THROUGHPUT_OPT);
    }

    public int bufferSize() {
        return (Integer) values.get(OptionSpec.BUFFER_SIZE);
    }

    public boolean enableRead() {
        return (Boolean) values.get(OptionSpec.ENABLE_READ);
    }

    public boolean enableWrite() {
        return (Boolean) values.get(OptionSpec.ENABLE_WRITE);
    }

    public boolean enableTcpMaerts() {
        return (Boolean) values.get(OptionSpec.ENABLE_TCP_MAERTS);
    }

    public boolean noDelay() {
        return (Boolean) values.get(OptionSpec.NO_DELAY);
    }

    public boolean noCork() {
        return (Boolean) values.get(OptionSpec.NO_CORK);
    }

    public String congestionControl() {
        return (String) values.get(OptionSpec.CONGESTION_CONTROL);
    }

    public MemoryMode mode() {
        return (MemoryMode) values.get(OptionSpec.MODE);
    }

    public String reportJson() {
        return (String) values.get(OptionSpec.REPORT_JSON);
    }

    public int connectRetries() {
        return (Integer) values.get(OptionSpec.CONNECT_RETRIES);
    }

    public String bindDevice() {
        return (String) values.get(OptionSpec.BIND_DEVICE);
    }

    /**
     * The device every data socket is bound to (SO_BINDTODEVICE, before bind and connect), or null:
     * --bind-device, else in a devmem mode the devmem link, since the kernel finds a socket's devmem TX
     * binding only when the socket's route leaves through the bound device (ENODEV otherwise), and a
     * devmem receiver wants only flows that arrive on its NIC.
     */
    public String dataSocketDevice() {
        if (bindDevice() != null) {
            return bindDevice();
        }
        return mode().isDevmem() ? tcpdLinkName() : null;
    }

    public boolean tcpdValidate() {
        return (Boolean) values.get(OptionSpec.TCPD_VALIDATE);
    }

    public boolean tcpdRxCpy() {
        return (Boolean) values.get(OptionSpec.TCPD_RX_CPY);
    }

    public String tcpdNicPciAddr() {
        return (String) values.get(OptionSpec.TCPD_NIC_PCI_ADDR);
    }

    public String tcpdGpuPciAddr() {
        return (String) values.get(OptionSpec.TCPD_GPU_PCI_ADDR);
    }

    /** Device memory bytes to allocate; 0 lets the runner choose. */
    public long tcpdPhysLen() {
        return (Long) values.get(OptionSpec.TCPD_PHYS_LEN);
    }

    public String tcpdSrcIp() {
        return (String) values.get(OptionSpec.TCPD_SRC_IP);
    }

    public String tcpdDstIp() {
        return (String) values.get(OptionSpec.TCPD_DST_IP);
    }

    public String tcpdLinkName() {
        return (String) values.get(OptionSpec.TCPD_LINK_NAME);
    }

    public int queueStart() {
        return (Integer) values.get(OptionSpec.QUEUE_START);
    }

    public int queueNum() {
        return (Integer) values.get(OptionSpec.QUEUE_NUM);
    }
}
