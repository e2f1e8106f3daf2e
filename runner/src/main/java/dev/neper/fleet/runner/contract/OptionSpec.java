package dev.neper.fleet.runner.contract;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every tcp_stream option the runner takes, with neper's long and short names and defaults, in the
 * definition order of neper's master branch (its name=value dump runs in reverse order). The tcpd
 * branch's device-memory options follow master's last option (the tcpd branch defines them after
 * async_connect, so both branches' dumps are subsequences of ours, except that tcpd moved mark among
 * the common options), then the runner's own. The long name is the variable name with '-' for '_',
 * as neper derives it.
 */
public enum OptionSpec {
    MAGIC("magic", 0, ValueType.INT, 42, "Magic number used by control connections"),
    MAXEVENTS("maxevents", 0, ValueType.INT, 1000, "Most events one epoll_wait call returns"),
    NUM_FLOWS("num_flows", 'F', ValueType.INT, 1, "Total number of flows"),
    NUM_THREADS("num_threads", 'T', ValueType.INT, 1, "Number of threads"),
    NUM_CLIENTS("num_clients", 0, ValueType.INT, 1, "Number of clients"),
    LISTEN_BACKLOG("listen_backlog", 0, ValueType.INT, 128, "Backlog size for listen()"),
    SUICIDE_LENGTH("suicide_length", 's', ValueType.INT, 0, "Suicide length in seconds"),
    SOURCE_PORT("source_port", 0, ValueType.INT, -1,
            "Sender (source) data port of the first flow; flow g uses this port + g. When not specified, the kernel picks"),
    STIME_USE_PROC("stime_use_proc", 'S', ValueType.FLAG, false,
            "Report system time as the machine's system+irq+softirq time from /proc/stat (idle machines only)"),
    IPV4("ipv4", '4', ValueType.FLAG, false, "Set desired address family to AF_INET"),
    IPV6("ipv6", '6', ValueType.FLAG, false, "Set desired address family to AF_INET6"),
    CLIENT("client", 'c', ValueType.FLAG, false, "Is client?"),
    DEBUG("debug", 'd', ValueType.FLAG, false, "Set SO_DEBUG on data sockets"),
    DRY_RUN("dry_run", 'n', ValueType.FLAG, false, "Print the options and exit without running"),
    PIN_CPU("pin_cpu", 'U', ValueType.FLAG, false, "Pin threads to CPU cores"),
    LOGTOSTDERR("logtostderr", 0, ValueType.FLAG, false, "Log to stderr"),
    NOLOG("nolog", 0, ValueType.FLAG, false, "No logging"),
    NONBLOCKING("nonblocking", 0, ValueType.FLAG, false,
            "Never block indefinitely: bounded epoll waits, nonblocking control sockets"),
    FREEBIND("freebind", 0, ValueType.FLAG, false, "Set IP_FREEBIND on data sockets"),
    INTERVAL("interval", 'I', ValueType.DOUBLE, 1.0, "For how many seconds that a sample is generated"),
    MAX_PACING_RATE("max_pacing_rate", 'm', ValueType.RATE, 0L,
            "SO_MAX_PACING_RATE in bytes/s, or with a unit suffix: 100Mb is 100 Mbit/s"),
    LOCAL_HOSTS("local_hosts", 'L', ValueType.STRING, null, "Local hostnames or IP addresses"),
    HOST("host", 'H', ValueType.STRING, null, "Server hostname or IP address"),
    CONTROL_PORT("control_port", 'C', ValueType.PORT, 12866, "Server control port"),
    PORT("port", 'P', ValueType.PORT, 12867, "Server data port"),
    ALL_SAMPLES("all_samples", 'A', ValueType.OPTIONAL_PATH, null,
            "Print all samples? If yes, this is the output file name (default samples.csv)"),
    TIME_WAIT("time_wait", 0, ValueType.FLAG, false,
            "Do not set SO_LINGER 0. Close gracefully. Active peer will enter TIME_WAIT state"),
    IOSTAT_MS("iostat_ms", 0, ValueType.SIZE, 0L, "A client prints the IO counters of the last period every this many ms"),
    WAIT_START("wait_start", 0, ValueType.SIZE, 0L, "A client waits this many seconds after the handshake before its flows"),
    NUM_PORTS("num_ports", 0, ValueType.INT, 1, "Number of server data ports"),
    TCP_FASTOPEN("tcp_fastopen", 'X', ValueType.FLAG, false, "Client flows connect with TCP_FASTOPEN_CONNECT"),
    PIN_NUMA("pin_numa", 'N', ValueType.FLAG, false, "Pin thread i to the CPUs of NUMA node i mod the node count"),
    TCP_TX_DELAY("tcp_tx_delay", 't', ValueType.INT, 0, "Force usec delay in TCP flows"),
    NO_DELAY("no_delay", 0, ValueType.FLAG, false, "Set TCP_NODELAY on data sockets"),
    CONGESTION_CONTROL("congestion_control", 0, ValueType.STRING, null, "TCP_CONGESTION algorithm for data sockets"),
    TEST_LENGTH("test_length", 'l', ValueType.INT, 10, "Test length in seconds"),
    EDGE_TRIGGER("edge_trigger", 'E', ValueType.FLAG, false,
            "Edge-triggered epoll: each readiness reads or writes until the socket would block"),
    REUSEADDR("reuseaddr", 'R', ValueType.FLAG, false, "Set SO_REUSEADDR on data sockets"),
    ZEROCOPY("zerocopy", 'Z', ValueType.FLAG, false,
            "Send with MSG_ZEROCOPY (SO_ZEROCOPY set), completions read from the error queue"),
    THROUGHPUT_OPT("throughput_opt", 0, ValueType.UNIT, ThroughputUnit.MEGABITS, "Units to display for throughput"),
    DELAY("delay", 'D', ValueType.DURATION, 0L,
            "Pause after each send: nanoseconds, or with a unit suffix ns, us, ms or s"),
    BUFFER_SIZE("buffer_size", 'B', ValueType.INT, 16384, "Number of bytes that each read/write uses as the buffer"),
    SKIP_RX_COPY("skip_rx_copy", 0, ValueType.FLAG, false, "Receive with MSG_TRUNC: count the bytes, copy none"),
    RX_ZEROCOPY("rx_zerocopy", 'z', ValueType.FLAG, false,
            "Receive with TCP_ZEROCOPY_RECEIVE into a mapping of the socket; copy only what cannot be mapped"),
    ENABLE_READ("enable_read", 'r', ValueType.FLAG, false, "Read from flows? enabled by default for the server"),
    ENABLE_WRITE("enable_write", 'w', ValueType.FLAG, false, "Write to flows? Enabled by default for the client"),
    SPLIT_BIDIR("split_bidir", 0, ValueType.FLAG, false,
            "Bidirectional with one socket per direction: doubles num_flows, half of them carry each way"),
    ENABLE_TCP_MAERTS("enable_tcp_maerts", 'M', ValueType.FLAG, false,
            "Enables TCP_MAERTS test (server writes and client reads). It overrides enable_read, and enable_write"),
    ASYNC_CONNECT("async_connect", 0, ValueType.FLAG, false,
            "Start every connect of a thread at once, then wait for them together"),
    NO_CORK("no_cork", 0, ValueType.FLAG, false, "Send without MSG_MORE"),
    MARK("mark", 0, ValueType.UINT32, 0, "SO_MARK value; use as 32-bit unsigned"),
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
            "SO_BINDTODEVICE: bind every data socket, and a client's control connection, to this network device"
                    + " (data sockets in devmem modes to --tcpd-link-name by default); not a neper option");

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
