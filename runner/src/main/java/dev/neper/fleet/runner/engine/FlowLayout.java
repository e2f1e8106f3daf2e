package dev.neper.fleet.runner.engine;

/** How a client spreads F flows over T threads: the first F % T threads take one flow more, as neper does. */
public final class FlowLayout {
    private FlowLayout() {
    }

    public static int flowsInThread(int thread, int flows, int threads) {
        return flows / threads + (thread < flows % threads ? 1 : 0);
    }

    /** The global index of a thread's first flow. */
    public static int firstFlowOfThread(int thread, int flows, int threads) {
        return thread * (flows / threads) + Math.min(flows % threads, thread);
    }

    /** Global flow g connects to data port P + g % num_ports. */
    public static int dataPort(int flow, int basePort, int numPorts) {
        return basePort + flow % numPorts;
    }
}
