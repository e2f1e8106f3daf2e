package dev.neper.fleet.runner.datapath;

import dev.neper.fleet.runner.devmem.DevmemFlowIoFactory;
import dev.neper.fleet.runner.devmem.ZerocopySender;
import dev.neper.fleet.runner.contract.MemoryMode;
import dev.neper.fleet.runner.contract.Options;
import dev.neper.fleet.runner.cuda.CudaDriver;
import dev.neper.fleet.runner.ethtool.FlowRule;
import dev.neper.fleet.runner.memory.CudaMemory;
import dev.neper.fleet.runner.memory.PayloadMemory;
import dev.neper.fleet.runner.memory.Sizes;
import dev.neper.fleet.runner.memory.UdmabufMemory;
import dev.neper.fleet.runner.cuda.CudaException;
import dev.neper.fleet.runner.netdev.DevmemBinding;
import dev.neper.fleet.runner.netdev.DevmemProbe;
import dev.neper.fleet.runner.netdev.Netdev;
import dev.neper.fleet.runner.nic.Nic;
import dev.neper.fleet.runner.nic.NicRecordStore;
import dev.neper.fleet.runner.nic.NicSetup;
import dev.neper.fleet.runner.nic.ReceivePlan;
import dev.neper.fleet.runner.log.RunLog;
import dev.neper.fleet.runner.sys.KernelVersion;
import dev.neper.fleet.runner.sys.MissingSupportException;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sets a devmem run up, in the order that fails earliest on what is most often missing: the link
 * (--tcpd-link-name) and its driver, a bind probe of the driver (where the kernel's answer tells), the
 * payload memory, then on a receiving side the NIC settings, bind-rx and its confirmation by
 * queue-get, on a sending side bind-tx.
 */
public final class DevmemSetup {
    /** Payload memory for receiving when --tcpd-phys-len is 0: the udmabuf module's default limit. */
    public static final long DEFAULT_RECEIVE_MEMORY = 64 * Sizes.MIB;

    private DevmemSetup() {
    }

    public static DevmemFlowIoFactory open(Options o, NicRecordStore store, Map<String, String> environment)
            throws IOException {
        boolean receives = o.enableRead();
        boolean sends = o.enableWrite();
        Nic nic = Nic.resolve(o.tcpdLinkName());
        checkNicAddress(o, nic);
        KernelVersion kernel = KernelVersion.running();
        DevmemProbe.Result probe = receives
                ? DevmemProbe.probeRx(kernel, nic.name(), nic.driver(), nic.ifindex(), o.queueStart())
                : DevmemProbe.probeTx(kernel, nic.name(), nic.driver(), nic.ifindex());
        if (!probe.supported()) {
            throw new MissingSupportException(probe.reason());
        }
        PayloadMemory memory;
        try {
            memory = allocate(o.mode(), memorySize(o), o.tcpdGpuPciAddr(), environment);
        } catch (MissingSupportException e) {
            throw new MissingSupportException(nic.name() + ": " + e.getMessage(), e);
        }
        RunLog.info(nic.name() + ": " + memory.description() + " (dmabuf fd " + memory.dmabufFd() + ")");
        NicSetup nicSetup = null;
        DevmemBinding rx = null;
        DevmemBinding tx = null;
        try {
            if (receives) {
                ReceivePlan plan = receivePlan(o);
                nicSetup = NicSetup.applyReceiveProfile(nic, plan, store);
                rx = Netdev.bindRx(nic.name(), nic.driver(), nic.ifindex(), memory.dmabufFd(), plan.queues());
                Netdev.confirmRxBinding(nic.name(), nic.ifindex(), plan.queues(), rx.id());
                RunLog.info(nic.name() + ": " + rx);
            }
            if (sends) {
                tx = Netdev.bindTx(nic.name(), nic.driver(), nic.ifindex(), memory.dmabufFd());
                RunLog.info(nic.name() + ": " + tx);
            }
            return new DevmemFlowIoFactory(nic.name(), memory, nicSetup, rx, tx, o.bufferSize(), o.tcpdRxCpy(),
                    o.tcpdValidate());
        } catch (IOException | RuntimeException e) {
            DevmemFlowIoFactory.release(tx, rx, nicSetup, memory);
            throw e;
        }
    }

    private static void checkNicAddress(Options o, Nic nic) throws MissingSupportException {
        String wanted = o.tcpdNicPciAddr();
        if (wanted != null && !wanted.equalsIgnoreCase(nic.busInfo())) {
            throw new MissingSupportException(nic.name() + " is at bus address '" + nic.busInfo()
                    + "', not at --tcpd-nic-pci-addr " + wanted);
        }
    }

    /** --tcpd-phys-len, or what the run needs: 64 MiB to receive into, a send region per flow to send from. */
    static long memorySize(Options o) throws MissingSupportException {
        long needed = o.enableWrite() ? (long) o.numFlows() * ZerocopySender.regionSize(o.bufferSize())
                : DEFAULT_RECEIVE_MEMORY;
        if (o.tcpdPhysLen() == 0) {
            return needed;
        }
        if (o.enableWrite() && o.tcpdPhysLen() < needed) {
            throw new MissingSupportException("--tcpd-phys-len " + o.tcpdPhysLen() + " is too small: " + o.numFlows()
                    + " sending flows of buffer_size " + o.bufferSize() + " need " + needed + " bytes");
        }
        return o.tcpdPhysLen();
    }

    public static PayloadMemory allocate(MemoryMode mode, long size, String gpuPci, Map<String, String> environment)
            throws IOException {
        return switch (mode) {
            case UDMABUF -> UdmabufMemory.allocate(size);
            case CUDA -> {
                CudaDriver driver = CudaDriver.load(environment);
                try {
                    yield CudaMemory.allocate(driver, gpuPci, size);
                } catch (CudaException e) {
                    throw new MissingSupportException("cuda (" + driver.library() + "): " + e.getMessage(), e);
                }
            }
            case HOST -> throw new IllegalArgumentException("host memory has no devmem data path");
        };
    }

    /**
     * One rule per flow i, steering it to queue queue_start + i: on a receiving server the flow arrives
     * at data port P + i from --tcpd-src-ip (and --source-port + i when given) to --tcpd-dst-ip (or -H);
     * on a receiving client (-M) the other way round, with its source port needed to tell flows apart.
     */
    static ReceivePlan receivePlan(Options o) throws IOException {
        List<FlowRule> rules = new ArrayList<>();
        InetAddress serverIp = address(o.tcpdDstIp() != null ? o.tcpdDstIp() : o.host(), "--tcpd-dst-ip (or -H)");
        InetAddress clientIp = o.tcpdSrcIp() == null ? null : address(o.tcpdSrcIp(), "--tcpd-src-ip");
        for (int i = 0; i < o.numFlows(); i++) {
            int serverPort = o.port() + i;
            int clientPort = o.sourcePort() > 0 ? o.sourcePort() + i : -1;
            int queue = o.queueStart() + i;
            if (!o.client()) {
                rules.add(new FlowRule(clientIp, serverIp, clientPort, serverPort, queue));
            } else {
                if (clientIp == null || clientPort < 0) {
                    throw new IOException("a receiving client steers flows by its own address and port: "
                            + "--tcpd-src-ip and --source-port are needed");
                }
                rules.add(new FlowRule(serverIp, clientIp, serverPort, clientPort, queue));
            }
        }
        return new ReceivePlan(o.queueStart(), o.queueNum(), rules);
    }

    private static InetAddress address(String text, String option) throws IOException {
        if (text == null) {
            throw new IOException("devmem receive steers each flow by address: " + option + " is needed");
        }
        return InetAddress.getByName(text.toLowerCase(Locale.ROOT));
    }
}
