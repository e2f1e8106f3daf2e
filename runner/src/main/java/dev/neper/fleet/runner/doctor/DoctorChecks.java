package dev.neper.fleet.runner.doctor;

import dev.neper.fleet.runner.contract.MemoryMode;
import dev.neper.fleet.runner.cuda.CudaDriver;
import dev.neper.fleet.runner.cuda.CudaException;
import dev.neper.fleet.runner.cuda.CudaLibrary;
import dev.neper.fleet.runner.doctor.Check.Status;
import dev.neper.fleet.runner.ethtool.Channels;
import dev.neper.fleet.runner.ethtool.EthtoolNetlink;
import dev.neper.fleet.runner.ethtool.Rings;
import dev.neper.fleet.runner.memory.Sizes;
import dev.neper.fleet.runner.memory.UdmabufMemory;
import dev.neper.fleet.runner.netdev.DevmemProbe;
import dev.neper.fleet.runner.netdev.Netdev;
import dev.neper.fleet.runner.netdev.QueueInfo;
import dev.neper.fleet.runner.netdev.QueueType;
import dev.neper.fleet.runner.netlink.GenlFamily;
import dev.neper.fleet.runner.nic.Nic;
import dev.neper.fleet.runner.nic.NicRecordStore;
import dev.neper.fleet.runner.nic.NicSetup;
import dev.neper.fleet.runner.sys.KernelVersion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The doctor's checks. Host-wide: kernel version, the netdev and ethtool netlink families and the
 * bind ops, CAP_NET_ADMIN, and the memory mode's prerequisite (/dev/udmabuf, or libcuda, a GPU and
 * DMA_BUF_SUPPORTED). Per link: the interface and its driver, the driver's answer to bind-rx and
 * bind-tx probes, header split, ntuple, the RSS table, enough RX queues for queue_start..+queue_num,
 * and a NIC record a killed run left. Every failure carries its reason.
 */
public final class DoctorChecks {
    static final String HOST = "host";
    private static final int CAP_NET_ADMIN = 12;

    private final List<Check> checks = new ArrayList<>();
    private final DoctorRequest request;

    DoctorChecks(DoctorRequest request) {
        this.request = request;
    }

    List<Check> run() {
        kernel();
        families();
        capabilities();
        memory();
        for (String link : request.links()) {
            link(link);
        }
        return checks;
    }

    private void add(String name, String scope, Status status, String detail) {
        checks.add(new Check(name, scope, status, detail));
    }

    private void kernel() {
        String release = request.kernelRelease();
        if (release == null) {
            add("kernel", HOST, Status.FAIL, "cannot read the kernel release from /proc/sys/kernel/osrelease");
            return;
        }
        KernelVersion version = kernelVersion();
        if (!version.atLeast(KernelVersion.DEVMEM_RX)) {
            add("kernel", HOST, Status.FAIL, "Linux " + release + ": devmem RX needs " + KernelVersion.DEVMEM_RX);
        } else if (request.sends() && !version.atLeast(KernelVersion.DEVMEM_TX)) {
            add("kernel", HOST, Status.FAIL, "Linux " + release + ": devmem TX needs " + KernelVersion.DEVMEM_TX);
        } else {
            add("kernel", HOST, Status.PASS, "Linux " + release);
        }
    }

    /** The kernel the probes' answers are read for; an unreadable release reads as too old to tell. */
    private KernelVersion kernelVersion() {
        try {
            return KernelVersion.parse(request.kernelRelease());
        } catch (RuntimeException e) {
            return new KernelVersion(0, 0);
        }
    }

    private void families() {
        try (Netdev netdev = Netdev.open()) {
            GenlFamily f = netdev.family();
            add("netdev-family", HOST, Status.PASS, "id " + f.id() + ", version " + f.version());
            bindOp(f, Netdev.CMD_BIND_RX, "bind-rx", request.receives(), "devmem RX (Linux 6.12)");
            bindOp(f, Netdev.CMD_BIND_TX, "bind-tx", request.sends(), "devmem TX (Linux 6.16)");
        } catch (IOException e) {
            add("netdev-family", HOST, Status.FAIL, e.getMessage());
        }
        try (EthtoolNetlink ethtool = EthtoolNetlink.open()) {
            add("ethtool-family", HOST, Status.PASS, "id " + ethtool.family().id() + ", version "
                    + ethtool.family().version());
        } catch (IOException e) {
            add("ethtool-family", HOST, Status.FAIL, e.getMessage());
        }
    }

    private void bindOp(GenlFamily f, int command, String name, boolean needed, String what) {
        if (f.supports(command)) {
            add("netdev-" + name, HOST, Status.PASS, "op " + command + " present");
        } else {
            add("netdev-" + name, HOST, needed ? Status.FAIL : Status.SKIP,
                    "the netdev family has no " + name + ": " + what + " is not in this kernel");
        }
    }

    private void capabilities() {
        try {
            long effective = 0;
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    effective = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                }
            }
            if ((effective & (1L << CAP_NET_ADMIN)) != 0) {
                add("cap-net-admin", HOST, Status.PASS, "CAP_NET_ADMIN is effective");
            } else {
                add("cap-net-admin", HOST, Status.FAIL, "bind-rx and the NIC settings need CAP_NET_ADMIN,"
                        + " which this process lacks");
            }
        } catch (IOException | RuntimeException e) {
            add("cap-net-admin", HOST, Status.WARN, "cannot read /proc/self/status: " + e.getMessage());
        }
    }

    private void memory() {
        switch (request.mode()) {
            case HOST -> add("memory", HOST, Status.SKIP, "--mode host needs no device memory");
            case UDMABUF -> {
                String reason = UdmabufMemory.unavailableReason();
                if (reason != null) {
                    add("udmabuf", HOST, Status.FAIL, reason);
                } else {
                    OptionalLong limit = UdmabufMemory.sizeLimit();
                    add("udmabuf", HOST, Status.PASS, UdmabufMemory.DEVICE + " present"
                            + (limit.isPresent() ? ", size limit " + Sizes.format(limit.getAsLong()) : ""));
                }
            }
            case CUDA -> cuda();
        }
    }

    private void cuda() {
        Map<String, String> env = request.environment();
        CudaDriver driver;
        try {
            driver = CudaDriver.load(env);
        } catch (IOException e) {
            add("libcuda", HOST, Status.FAIL, e.getMessage());
            return;
        }
        add("libcuda", HOST, Status.PASS, "loaded " + driver.library() + " (search order: "
                + CudaLibrary.candidates(env) + ", then " + CudaLibrary.SONAME + " by the loader)");
        try {
            driver.init();
            int version = driver.driverVersion();
            int count = driver.deviceCount();
            add("cuda-init", HOST, Status.PASS, "driver API " + version / 1000 + "." + (version % 1000) / 10 + ", "
                    + count + " GPU(s)");
            for (int i = 0; i < count; i++) {
                int device = driver.device(i);
                String busId = driver.pciBusId(device);
                if (request.gpuPci() != null && !busId.equalsIgnoreCase(request.gpuPci())) {
                    continue;
                }
                boolean dmabuf = driver.attribute(device, CudaDriver.CU_DEVICE_ATTRIBUTE_DMA_BUF_SUPPORTED) != 0;
                add("gpu-dmabuf", "gpu " + busId, dmabuf ? Status.PASS : Status.FAIL, dmabuf
                        ? "DMA_BUF_SUPPORTED" : "DMA_BUF_SUPPORTED is 0: this GPU cannot export dma-bufs"
                        + " (needs NVIDIA's open kernel modules)");
            }
        } catch (CudaException e) {
            String why = switch (e.result()) {
                case CudaDriver.CUDA_ERROR_STUB_LIBRARY -> driver.library()
                        + " is the CUDA stub library (CUDA_ERROR_STUB_LIBRARY 34): no NVIDIA driver is installed";
                case CudaDriver.CUDA_ERROR_NO_DEVICE -> "no CUDA-capable GPU (CUDA_ERROR_NO_DEVICE 100)";
                default -> e.getMessage();
            };
            add("cuda-init", HOST, Status.FAIL, why);
        }
    }

    private void link(String link) {
        devmemCapability(link, request.receives() ? this::queues : (ethtool, nic) -> {
        });
        staleRecord(link);
    }

    /** The doctor's checks of whether a link can do devmem at all, both ways, for discover: no run-specific ones. */
    public static List<Check> devmemCapability(String link, String kernelRelease) {
        DoctorChecks doctor = new DoctorChecks(new DoctorRequest(MemoryMode.HOST, List.of(link), true, true,
                Doctor.DEFAULT_QUEUE_START, Doctor.DEFAULT_QUEUE_NUM, null, null, Map.of(), kernelRelease));
        doctor.devmemCapability(link, (ethtool, nic) -> {
        });
        return List.copyOf(doctor.checks);
    }

    /**
     * The doctor's host-wide checks of a memory mode (kernel, families and bind ops, CAP_NET_ADMIN, the
     * memory's prerequisite), both directions, for discover's preflight: no link named.
     */
    public static List<Check> hostChecks(MemoryMode mode, Map<String, String> environment, String kernelRelease) {
        DoctorChecks doctor = new DoctorChecks(new DoctorRequest(mode, List.of(), true, true, Doctor.DEFAULT_QUEUE_START,
                Doctor.DEFAULT_QUEUE_NUM, null, null, environment, kernelRelease));
        doctor.kernel();
        doctor.families();
        doctor.capabilities();
        doctor.memory();
        return List.copyOf(doctor.checks);
    }

    private interface ReceiveCheck {
        void run(EthtoolNetlink ethtool, Nic nic);
    }

    /** The interface, the driver's answers to the bind probes, header split, ntuple, RSS, then {@code more}. */
    private void devmemCapability(String link, ReceiveCheck more) {
        Nic nic;
        try {
            nic = Nic.resolve(link);
        } catch (IOException e) {
            add("link", link, Status.FAIL, e.getMessage());
            return;
        }
        add("link", link, Status.PASS, "ifindex " + nic.ifindex() + ", driver " + nic.driver()
                + (nic.busInfo().isEmpty() ? "" : ", bus " + nic.busInfo()));
        if (request.receives()) {
            checks.add(probeCheck("devmem-rx", link,
                    DevmemProbe.probeRx(kernelVersion(), link, nic.driver(), nic.ifindex(), request.queueStart())));
        }
        if (request.sends()) {
            checks.add(probeCheck("devmem-tx", link, DevmemProbe.probeTx(kernelVersion(), link, nic.driver(), nic.ifindex())));
        }
        if (request.receives()) {
            try (EthtoolNetlink ethtool = EthtoolNetlink.open()) {
                headerSplit(ethtool, nic);
                ntuple(ethtool, nic);
                rss(ethtool, nic);
                more.run(ethtool, nic);
            } catch (IOException e) {
                add("ethtool", link, Status.FAIL, e.getMessage());
            }
        }
    }

    /** A probe's answer as a check: a kernel whose answer says nothing about the driver gives a warning, never PASS. */
    static Check probeCheck(String name, String link, DevmemProbe.Result result) {
        Status status = switch (result.verdict()) {
            case CAPABLE -> Status.PASS;
            case UNKNOWN -> Status.WARN;
            case INCAPABLE -> Status.FAIL;
        };
        return new Check(name, link, status, result.reason());
    }

    /**
     * Header split: a driver whose rings report tcp-data-split (or an hds-thresh) has it; one whose rings
     * report neither may have it with the setting at "auto" (reported as nothing), which only the run's
     * SET tells: a warning. The seed's gve private flags count too.
     */
    private void headerSplit(EthtoolNetlink ethtool, Nic nic) {
        String ringsProblem;
        Rings rings = null;
        try {
            rings = ethtool.rings(nic.name());
            if (rings.reportsHeaderSplit() || rings.hdsThresholdMax() != null) {
                add("header-split", nic.name(), Status.PASS, "rings tcp-data-split " + switch (rings.tcpDataSplit()) {
                    case null -> "auto";
                    case Rings.TCP_DATA_SPLIT_ENABLED -> "on";
                    case Rings.TCP_DATA_SPLIT_DISABLED -> "off";
                    default -> "auto";
                } + " (the run sets it on whatever this says)"
                        + (rings.hdsThreshold() != null ? ", hds-thresh " + rings.hdsThreshold() : ""));
                return;
            }
            ringsProblem = "rings report no tcp-data-split";
        } catch (IOException e) {
            ringsProblem = e.getMessage();
        }
        try {
            Map<String, Boolean> flags = ethtool.privateFlags(nic.name());
            if (flags.containsKey(NicSetup.GVE_HEADER_SPLIT_FLAGS.getFirst())) {
                add("header-split", nic.name(), Status.PASS, "gve private flags " + flags.keySet());
                return;
            }
            ringsProblem += "; no " + NicSetup.GVE_HEADER_SPLIT_FLAGS.getFirst() + " private flag";
        } catch (IOException e) {
            ringsProblem += "; private flags: " + e.getMessage();
        }
        if (rings != null) {
            add("header-split", nic.name(), Status.WARN, "driver " + nic.driver() + " reports no tcp-data-split ("
                    + ringsProblem + "): the setting may be at auto, which reads as nothing; the run sets it on, and"
                    + " a driver without it refuses then");
        } else {
            add("header-split", nic.name(), Status.FAIL, "driver " + nic.driver() + " has no TCP header split ("
                    + ringsProblem + ")");
        }
    }

    private void ntuple(EthtoolNetlink ethtool, Nic nic) {
        try {
            EthtoolNetlink.Features f = ethtool.features(nic.name());
            String feature = EthtoolNetlink.NTUPLE_FEATURE;
            if (f.isActive(feature) || f.isChangeable(feature)) {
                add("ntuple", nic.name(), Status.PASS, feature + (f.isActive(feature) ? " on" : " off (the run turns it on)"));
            } else {
                add("ntuple", nic.name(), Status.FAIL, "driver " + nic.driver() + " has no ntuple flow steering ("
                        + feature + " is neither on nor changeable)");
            }
        } catch (IOException e) {
            add("ntuple", nic.name(), Status.FAIL, e.getMessage());
        }
    }

    private void rss(EthtoolNetlink ethtool, Nic nic) {
        try {
            int[] table = ethtool.rssIndirection(nic.name());
            add("rss", nic.name(), table.length > 0 ? Status.PASS : Status.FAIL, table.length > 0
                    ? "indirection table of " + table.length + " entries" : "no RSS indirection table");
        } catch (IOException e) {
            add("rss", nic.name(), Status.FAIL, "cannot read the RSS indirection table: " + e.getMessage());
        }
    }

    /**
     * The RX queues netdev reports (the ones bind-rx accepts ids of) must reach queue_start +
     * queue_num, and none of the devmem queues may already be bound (bind-rx would answer EEXIST).
     */
    private void queues(EthtoolNetlink ethtool, Nic nic) {
        int needed = request.queueStart() + request.queueNum();
        String channels;
        try {
            Channels c = ethtool.channels(nic.name());
            channels = "channels:" + (c.rxCount() != null ? " rx " + c.rxCount() : "")
                    + (c.combinedCount() != null ? " combined " + c.combinedCount() : "");
        } catch (IOException e) {
            channels = "channel counts unreadable: " + e.getMessage();
        }
        try (Netdev netdev = Netdev.open()) {
            netdev.device(nic.ifindex());
            List<QueueInfo> rx = netdev.queues(nic.ifindex()).stream().filter(q -> q.type() == QueueType.RX).toList();
            List<String> bound = rx.stream().filter(q -> q.dmabufBinding() != null && q.id() >= request.queueStart()
                    && q.id() < needed).map(q -> q.id() + " (binding " + q.dmabufBinding() + ")").toList();
            String detail = rx.size() + " RX queue(s) (" + channels + "); queues " + request.queueStart() + ".."
                    + (needed - 1) + " need " + needed;
            if (!bound.isEmpty()) {
                add("rx-queues", nic.name(), Status.FAIL, detail + "; already bound: " + bound);
            } else {
                add("rx-queues", nic.name(), rx.size() >= needed ? Status.PASS : Status.FAIL, detail);
            }
        } catch (IOException e) {
            add("rx-queues", nic.name(), Status.FAIL, "netdev queue-get on " + nic.name() + ": " + e.getMessage());
        }
    }

    private void staleRecord(String link) {
        NicRecordStore store = request.store();
        try {
            if (store.read(link).isPresent()) {
                add("nic-record", link, Status.WARN, "a killed run left NIC changes in " + store.fileFor(link)
                        + "; the next run undoes them first");
            }
        } catch (IOException e) {
            add("nic-record", link, Status.WARN, e.getMessage());
        }
    }

    /**
     * What to check: mode, links, direction, queues, GPU, where NIC records live, the environment, and
     * the kernel release (null when unreadable) whose rules the probes' answers are read by.
     */
    record DoctorRequest(MemoryMode mode, List<String> links, boolean receives, boolean sends, int queueStart,
                         int queueNum, String gpuPci, NicRecordStore store, Map<String, String> environment,
                         String kernelRelease) {
    }
}
