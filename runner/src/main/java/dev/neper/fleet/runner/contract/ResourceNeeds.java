package dev.neper.fleet.runner.contract;

import java.util.List;
import java.util.Locale;

/**
 * What a run takes from its node beyond the JVM's own: threads, file descriptors and host memory,
 * derived from the options alone (-T, -F, -B, --num-ports, the role and the memory mode), so a
 * command line can be checked against a node's limits before anything starts, and a spec against
 * what any node could give.
 *
 * @param threads         worker threads (T per engine)
 * @param fileDescriptors descriptors the engines hold at once: each flow's socket, a server thread's
 *                        listener per data port, each thread's epoll and eventfd, the control sockets
 * @param memoryBytes     host memory for payloads: each thread's receive and send buffer of
 *                        buffer_size bytes (plus the validation pattern's 111) in host mode, a
 *                        udmabuf's --tcpd-phys-len (its pages are host memory)
 * @param shape           the options that set them, for the message that refuses them
 *                        ("-T 2 -F 2 -B 2000000000", "2 links of -T 2 -F 2 -B 16384")
 */
public record ResourceNeeds(long threads, long fileDescriptors, long memoryBytes, String shape) {
    /** Per worker thread: its epoll instance and its wake-up eventfd. */
    static final int DESCRIPTORS_PER_THREAD = 2;
    /** The validation pattern's period: the send buffer is that much longer with --tcpd-validate. */
    static final int VALIDATION_PERIOD = 111;

    /** One engine's needs: a single run, or one link of a links run. */
    public static ResourceNeeds of(Options o) {
        long t = o.numThreads();
        long listeners = o.client() ? 0 : t * o.numPorts() + 1;
        long control = o.client() ? 1 : o.numClients();
        long descriptors = (long) o.numFlows() + listeners + control + t * DESCRIPTORS_PER_THREAD;
        long memory = 0;
        if (!o.mode().isDevmem()) {
            memory = t * (2L * o.bufferSize() + (o.tcpdValidate() ? VALIDATION_PERIOD : 0));
        } else if (o.mode() == MemoryMode.UDMABUF) {
            memory = o.tcpdPhysLen();
        }
        return new ResourceNeeds(t, descriptors, memory, "-T " + t + " -F " + o.numFlows() + " -B " + o.bufferSize()
                + (o.mode().isDevmem() ? " --mode " + o.mode().argument() : ""));
    }

    /** A links run's needs: every link's engine in one process. */
    public static ResourceNeeds ofLinks(List<Options> links) {
        ResourceNeeds first = of(links.getFirst());
        if (links.size() == 1) {
            return first;
        }
        long threads = 0;
        long descriptors = 0;
        long memory = 0;
        for (Options link : links) {
            ResourceNeeds one = of(link);
            threads += one.threads;
            descriptors += one.fileDescriptors;
            memory += one.memoryBytes;
        }
        return new ResourceNeeds(threads, descriptors, memory, links.size() + " links of " + first.shape);
    }

    /** Byte counts as people read them: 8.00 GB (decimal units, as the runner's other messages). */
    static String size(long bytes) {
        if (bytes >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
        }
        if (bytes >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
        }
        return bytes + " bytes";
    }
}
