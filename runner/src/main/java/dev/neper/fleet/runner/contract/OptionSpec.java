package dev.neper.fleet.runner.contract;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every tcp_stream option the runner takes, in neper's definition order (its name=value dump runs in
 * reverse order), with neper's long and short names and defaults. The long name is the variable name
 * with '-' for '_', as neper derives it.
 */
public enum OptionSpec {
    MAGIC("magic", 0, ValueType.INT, 42, "Magic number used by control connections"),
    NUM_FLOWS("num_flows", 'F', ValueType.INT, 1, "Total number of flows"),
    NUM_THREADS("num_threads", 'T', ValueType.INT, 1, "Number of threads"),
    NUM_CLIENTS("num_clients", 0, ValueType.INT, 1, "Number of clients"),
    LISTEN_BACKLOG("listen_backlog", 0, ValueType.INT, 128, "Backlog size for listen()"),
    SUICIDE_LENGTH("suicide_length", 's', ValueType.INT, 0, "Suicide length in seconds"),
    SOURCE_PORT("source_port", 0, ValueType.INT, -1,
            "Sender (source) data port of the first flow; flow g uses this port + g. When not specified, the kernel picks"),
    IPV4("ipv4", '4', ValueType.FLAG, false, "Set desired address family to AF_INET"),
    IPV6("ipv6", '6', ValueType.FLAG, false, "Set desired address family to AF_INET6"),
    CLIENT("client", 'c', ValueType.FLAG, false, "Is client?"),
    DRY_RUN("dry_run", 'n', ValueType.FLAG, false, "Print the options and exit without running"),
    PIN_CPU("pin_cpu", 'U', ValueType.FLAG, false, "Pin threads to CPU cores"),
    LOGTOSTDERR("logtostderr", 0, ValueType.FLAG, false, "Log to stderr"),
    NOLOG("nolog", 0, ValueType.FLAG, false, "No logging"),
    INTERVAL("interval", 'I', ValueType.DOUBLE, 1.0, "For how many seconds that a sample is generated"),
    MAX_PACING_RATE("max_pacing_rate", 'm', ValueType.RATE, 0L,
            "SO_MAX_PACING_RATE in bytes/s, or with a unit suffix: 100Mb is 100 Mbit/s"),
    MARK("mark", 0, ValueType.INT, 0, "SO_MARK value; use as 32-bit unsigned"),
    LOCAL_HOSTS("local_hosts", 'L', ValueType.STRING, null, "Local hostnames or IP addresses"),
    HOST("host", 'H', ValueType.STRING, null, "Server hostname or IP address"),
    CONTROL_PORT("control_port", 'C', ValueType.PORT, 12866, "Server control port"),
    PORT("port", 'P', ValueType.PORT, 12867, "Server data port"),
    ALL_SAMPLES("all_samples", 'A', ValueType.OPTIONAL_PATH, null,
            "Print all samples? If yes, this is the output file name (default samples.csv)"),
    TIME_WAIT("time_wait", 0, ValueType.FLAG, false,
            "Do not set SO_LINGER 0. Close gracefully. Active peer will enter TIME_WAIT state"),
    NUM_PORTS("num_ports", 0, ValueType.INT, 1, "Number of server data ports"),
    TCP_TX_DELAY("tcp_tx_delay", 't', ValueType.INT, 0, "Force usec delay in TCP flows"),
    TEST_LENGTH("test_length", 'l', ValueType.INT, 10, "Test length in seconds"),
    THROUGHPUT_OPT("throughput_opt", 0, ValueType.UNIT, ThroughputUnit.MEGABITS, "Units to display for throughput"),
    BUFFER_SIZE("buffer_size", 'B', ValueType.INT, 16384, "Number of bytes that each read/write uses as the buffer"),
    ENABLE_READ("enable_read", 'r', ValueType.FLAG, false, "Read from flows? enabled by default for the server"),
    ENABLE_WRITE("enable_write", 'w', ValueType.FLAG, false, "Write to flows? Enabled by default for the client"),
    ENABLE_TCP_MAERTS("enable_tcp_maerts", 'M', ValueType.FLAG, false,
            "Enables TCP_MAERTS test (server writes and client reads). It overrides enable_read, and enable_write"),
    NO_DELAY("no_delay", 0, ValueType.FLAG, false, "Set TCP_NODELAY on data sockets"),
    NO_CORK("no_cork", 0, ValueType.FLAG, false, "Send without MSG_MORE"),
    CONGESTION_CONTROL("congestion_control", 0, ValueType.STRING, null, "TCP_CONGESTION algorithm for data sockets"),
    TCPD_VALIDATE("tcpd_validate", 0, ValueType.FLAG, false,
            "Validates that received data is a repeating sequence of 1 to 111 inclusive", Group.DEVMEM),
    TCPD_RX_CPY("tcpd_rx_cpy", 0, ValueType.FLAG, false,
            "Copies each received devmem fragment into a contiguous host buffer", Group.DEVMEM),
    TCPD_NIC_PCI_ADDR("tcpd_nic_pci_addr", 0, ValueType.STRING, null, "NIC PCI addr, e.x. 0000:06:00.0", Group.DEVMEM),
    TCPD_GPU_PCI_ADDR("tcpd_gpu_pci_addr", 0, ValueType.STRING, null, "GPU PCI addr, e.x. 0000:04:00.0", Group.DEVMEM),
    TCPD_PHYS_LEN("tcpd_phys_len", 0, ValueType.SIZE, 0L, "Device memory length in bytes", Group.DEVMEM),
    TCPD_SRC_IP("tcpd_src_ip", 0, ValueType.STRING, null, "Set the src ip address for tcpdirect", Group.DEVMEM),
    TCPD_DST_IP("tcpd_dst_ip", 0, ValueType.STRING, null, "Set the dst ip address for tcpdirect", Group.DEVMEM),
    TCPD_LINK_NAME("tcpd_link_name", 0, ValueType.STRING, "eth1", "Link name to bind DMA buffer_pages for Rx",
            Group.DEVMEM),
    QUEUE_START("queue_start", 0, ValueType.INT, 8, "Queue to start flow-steering at", Group.DEVMEM),
    QUEUE_NUM("queue_num", 0, ValueType.INT, 4, "Number of queues to flow-steer to", Group.DEVMEM),
    MODE("mode", 0, ValueType.MODE, MemoryMode.HOST, "Payload memory: host, udmabuf or cuda (the seed's --mode)"),
    REPORT_JSON("report_json", 0, ValueType.STRING, null,
            "Write the structured JSON report to this file ('-' for stdout); not a neper option"),
    CONNECT_RETRIES("connect_retries", 0, ValueType.INT, 30,
            "Control connect attempts, 1 s apart, before a client gives up; not a neper option"),
    BIND_DEVICE("bind_device", 0, ValueType.STRING, null,
            "SO_BINDTODEVICE: bind every data socket to this network device (in devmem modes --tcpd-link-name"
                    + " by default); not a neper option");

    /** Options that only mean something with device memory. */
    public enum Group { COMMON, DEVMEM }

    private static final List<OptionSpec> ALL = Arrays.asList(values());

    private final String variableName;
    private final String longName;
    private final char shortName;
    private final ValueType type;
    private final Object defaultValue;
    private final String help;
    private final Group group;

    OptionSpec(String variableName, int shortName, ValueType type, Object defaultValue, String help) {
        this(variableName, shortName, type, defaultValue, help, Group.COMMON);
    }

    OptionSpec(String variableName, int shortName, ValueType type, Object defaultValue, String help, Group group) {
        this.variableName = variableName;
        this.longName = variableName.replace('_', '-');
        this.shortName = (char) shortName;
        this.type = type;
        this.defaultValue = defaultValue;
        this.help = help;
        this.group = group;
    }

    /** The name in the name=value dump and the JSON report, e.g. "num_flows". */
    public String variableName() {
        return variableName;
    }

    /** The long option without dashes, e.g. "num-flows". */
    public String longName() {
        return longName;
    }

    /** The short option letter, or 0 when there is none. */
    public char shortName() {
        return shortName;
    }

    public ValueType type() {
        return type;
    }

    public Object defaultValue() {
        return defaultValue;
    }

    public String help() {
        return help;
    }

    public Group group() {
        return group;
    }

    public boolean takesArgument() {
        return type != ValueType.FLAG;
    }

    public static Optional<OptionSpec> byShortName(char c) {
        return ALL.stream().filter(o -> o.shortName == c).findFirst();
    }

    public static Optional<OptionSpec> byVariableName(String name) {
        return ALL.stream().filter(o -> o.variableName.equals(name)).findFirst();
    }

    /** Exact long name, else the unique option it abbreviates, as getopt_long resolves it. */
    public static List<OptionSpec> matchingLongName(String name) {
        Optional<OptionSpec> exact = ALL.stream().filter(o -> o.longName.equals(name)).findFirst();
        if (exact.isPresent()) {
            return List.of(exact.get());
        }
        return ALL.stream().filter(o -> o.longName.startsWith(name)).toList();
    }
}
