package dev.neper.fleet.runner.contract;


import java.util.ArrayList;
import java.util.List;

/**
 * The multi-link command line, {@code neper-runner links}: one stream engine per link in one
 * process, as neper's multi_neper.py runs one tcp_stream per NIC. The tcp_stream options apply to
 * every link; link i (0-based, in the order given) uses control port C+i and data ports
 * P+i*num_ports.. P+(i+1)*num_ports-1, and a client binds its flows to the link's local address.
 * {@code terminationSummary} names the file (in Kubernetes, /dev/termination-log) that receives the
 * compact {@link NodeSummary}.
 */
public record LinkSetCommand(List<LinkSpec> links, Options options, String terminationSummary) {
    public static final String SUBCOMMAND = "links";
    public static final String LINK_FLAG = "--link";
    public static final String TERMINATION_SUMMARY_FLAG = "--termination-summary";

    public LinkSetCommand {
        links = List.copyOf(links);
        if (links.isEmpty()) {
            throw new IllegalArgumentException("a link set needs at least one --link");
        }
    }

    /**
     * Where a server answers a readiness probe once every link listens or has failed to: loopback, on
     * the last link's control port. A probe from the node itself (a hostNetwork pod's kubelet) reaches
     * it whatever the links' addresses are, also when the last link's address cannot be bound.
     */
    public static final String READINESS_HOST = "127.0.0.1";

    /**
     * Where a devmem run records each NIC change before making it (unless $NEPER_RUNNER_STATE_DIR
     * says otherwise): on the node, not in the container, so a run killed before it could undo them
     * leaves the record to the node's next run, which undoes them first.
     */
    public static final String NIC_RECORD_DIRECTORY = "/run/neper-runner";

    /** The port of {@link #READINESS_HOST} a server answers on once every link is up or failed. */
    public int readinessPort() {
        return controlPort(links.size() - 1);
    }

    /** Link i's control port. */
    public int controlPort(int link) {
        return options.controlPort() + link;
    }

    /**
     * The tcp_stream options of link i: its ports, its addresses, its device (--bind-device: its data
     * sockets are bound to it), the device-specific devmem flags.
     */
    public Options linkOptions(int link) {
        LinkSpec spec = links.get(link);
        // every data socket bound to the link's device, so its bytes cross the NIC its result names
        Options o = options.with(OptionSpec.CONTROL_PORT, controlPort(link))
                .with(OptionSpec.PORT, options.port() + link * options.numPorts())
                .with(OptionSpec.REPORT_JSON, null)
                .with(OptionSpec.BIND_DEVICE, spec.device());
        if (options.sourcePort() > 0) {
            o = o.with(OptionSpec.SOURCE_PORT, options.sourcePort() + link * options.numFlows());
        }
        if (options.mode().isDevmem()) {
            o = devmemLinkOptions(o, spec);
        }
        if (!options.client()) {
            return o.with(OptionSpec.HOST, spec.localIp());
        }
        o = o.with(OptionSpec.HOST, spec.peerIp());
        // neper takes either local hosts or source ports; with source ports the route picks the NIC
        return options.sourcePort() > 0 ? o : o.with(OptionSpec.LOCAL_HOSTS, spec.localIp());
    }

    /**
     * A devmem link binds and configures its own NIC: --tcpd-link-name is the link's device, the flow
     * rules' addresses are the link's (the client's is the source, the server's the destination), and
     * the link's NIC and GPU addresses apply when given.
     */
    private Options devmemLinkOptions(Options o, LinkSpec spec) {
        String clientIp = options.client() ? spec.localIp() : spec.peerIp();
        String serverIp = options.client() ? spec.peerIp() : spec.localIp();
        Options linked = o.with(OptionSpec.TCPD_LINK_NAME, spec.device()).with(OptionSpec.TCPD_SRC_IP, clientIp)
                .with(OptionSpec.TCPD_DST_IP, serverIp);
        if (spec.nicPci() != null) {
            linked = linked.with(OptionSpec.TCPD_NIC_PCI_ADDR, spec.nicPci());
        }
        return spec.gpuPci() != null ? linked.with(OptionSpec.TCPD_GPU_PCI_ADDR, spec.gpuPci()) : linked;
    }

    /** The arguments after the program name. */
    public List<String> toArgs() {
        List<String> args = new ArrayList<>();
        args.add(SUBCOMMAND);
        for (LinkSpec link : links) {
            args.add(LINK_FLAG + "=" + link.toArgument());
        }
        if (terminationSummary != null) {
            args.add(TERMINATION_SUMMARY_FLAG + "=" + terminationSummary);
        }
        args.addAll(options.toArgs());
        return args;
    }
}
