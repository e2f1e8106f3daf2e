package dev.neper.fleet.runner.contract;

/**
 * Why a link's run failed, as a stable code in the runner's reports and node summary. The operator
 * quotes it in the link's error ("eth2: CONNECT_FAILED: connection refused"); its status reasons are
 * its own (a runner that exits non-zero fails its pair as RunnerFailed, whatever the kind).
 */
public enum ErrorKind {
    /** The command line was refused before anything ran. */
    USAGE,
    /** The client could not reach the server's control port. */
    CONNECT_FAILED,
    /** A peer broke the control protocol (wrong magic or type, short message, no answer in time). */
    CONTROL_PROTOCOL,
    /** The control peer went away before the exchange finished (client killed, server gone). */
    PEER_LOST,
    /** A data connection could not be set up, or failed during the run. */
    DATA_CONNECTION,
    /** Not enough samples to compute a throughput: the receiver saw no data. */
    NO_DATA,
    /** SIGTERM or SIGINT ended the run early. */
    TERMINATED,
    /** The suicide length (-s) passed before the run finished. */
    SUICIDE,
    /** The link's network device is not up (operstate down, lowerlayerdown...): a cable, port or switch problem. */
    LINK_DOWN,
    /**
     * The link's device is not what the link says: it does not exist on the node, or the link's local
     * address is not on it (a renamed NIC, rail addresses swapped between devices).
     */
    WRONG_DEVICE,
    /** The host lacks something the run needs (a device, a driver feature, a library). */
    UNSUPPORTED,
    /** Received data did not match the validation pattern. */
    VALIDATION,
    /** Anything else: a failed system call the runner did not expect. */
    INTERNAL
}
