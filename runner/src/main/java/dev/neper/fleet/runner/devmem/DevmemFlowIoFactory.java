package dev.neper.fleet.runner.devmem;

import dev.neper.fleet.runner.engine.FlowContext;
import dev.neper.fleet.runner.engine.FlowIo;
import dev.neper.fleet.runner.engine.FlowIoFactory;
import dev.neper.fleet.runner.memory.PayloadMemory;
import dev.neper.fleet.runner.netdev.DevmemBinding;
import dev.neper.fleet.runner.nic.NicSetup;
import dev.neper.fleet.runner.contract.DevmemReport;
import dev.neper.fleet.runner.contract.ErrorKind;
import dev.neper.fleet.runner.contract.RunError;
import dev.neper.fleet.runner.contract.ValidationReport;
import dev.neper.fleet.runner.sys.Sockets;
import dev.neper.fleet.runner.validate.StreamValidator;
import dev.neper.fleet.runner.validate.ValidationRegistry;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A devmem run's data path: the payload memory, the NIC setup and the bindings, held for the whole
 * run; a {@link DevmemReceiver} for each receiving flow, a {@link ZerocopySender} with its own region
 * of the memory for each sending one. {@link #close} unbinds, restores the NIC and frees the memory.
 */
public final class DevmemFlowIoFactory implements FlowIoFactory {
    private record FlowState(String name, DevmemReceiver receiver, ZerocopySender sender, DevmemCounters counters) {
        String failure() {
            return receiver != null ? receiver.failure() : sender.failure();
        }
    }

    private final String link;
    private final PayloadMemory memory;
    private final NicSetup nicSetup;
    private final DevmemBinding rxBinding;
    private final DevmemBinding txBinding;
    private final int bufferSize;
    private final boolean rxCopy;
    private final boolean validate;
    private final ValidationRegistry validation;
    private final List<FlowState> flows = new ArrayList<>();
    private int nextRegion;

    public DevmemFlowIoFactory(String link, PayloadMemory memory, NicSetup nicSetup, DevmemBinding rxBinding,
                        DevmemBinding txBinding, int bufferSize, boolean rxCopy, boolean validate) {
        this.link = link;
        this.memory = memory;
        this.nicSetup = nicSetup;
        this.rxBinding = rxBinding;
        this.txBinding = txBinding;
        this.bufferSize = bufferSize;
        this.rxCopy = rxCopy;
        this.validate = validate;
        this.validation = validate ? new ValidationRegistry() : null;
    }

    @Override
    public FlowIo open(FlowContext flow) throws IOException {
        String name = flow.thread() + "/" + flow.flowInThread();
        DevmemCounters counters = new DevmemCounters();
        if (flow.reads()) {
            if (rxBinding == null) {
                throw new IOException("flow " + name + " reads but no RX binding was set up");
            }
            StreamValidator validator = validation != null ? validation.open(name) : null;
            int mss = Sockets.getInt(flow.fd(), Sockets.IPPROTO_TCP, Sockets.TCP_MAXSEG, "TCP_MAXSEG");
            DevmemReceiver receiver = new DevmemReceiver(memory, rxBinding.id(), bufferSize,
                    DevmemAbi.smallestFragment(mss), validator, rxCopy, TokenReleaser.DONTNEED, counters);
            track(new FlowState(name, receiver, null, counters));
            return receiver;
        }
        if (txBinding == null) {
            throw new IOException("flow " + name + " writes but no TX binding was set up");
        }
        Sockets.setInt(flow.fd(), DevmemAbi.SOL_SOCKET, Sockets.SO_ZEROCOPY, "SO_ZEROCOPY", 1);
        ZerocopySender sender = new ZerocopySender(memory, region() * ZerocopySender.regionSize(bufferSize),
                bufferSize, txBinding.id(), validate, counters);
        track(new FlowState(name, null, sender, counters));
        return sender;
    }

    private synchronized int region() {
        return nextRegion++;
    }

    private synchronized void track(FlowState state) {
        flows.add(state);
    }

    @Override
    public ValidationReport validation() {
        return validation == null ? null : validation.report();
    }

    @Override
    public synchronized DevmemReport devmem() {
        long devmemBytes = 0;
        long linearBytes = 0;
        long fragments = 0;
        long returned = 0;
        long sends = 0;
        long completed = 0;
        long copied = 0;
        long truncations = 0;
        for (FlowState f : flows) {
            DevmemCounters c = f.counters();
            devmemBytes += c.devmemBytes;
            linearBytes += c.linearBytes;
            fragments += c.fragments;
            returned += c.fragmentsReturned;
            sends += c.zerocopySends;
            completed += c.completedSends;
            copied += c.copiedSends;
            truncations += c.controlTruncations;
        }
        return new DevmemReport(memory.description(), link, rxBinding == null ? null : rxBinding.id(),
                txBinding == null ? null : txBinding.id(), devmemBytes, linearBytes, fragments, returned, sends,
                completed, copied, truncations, nicSetup == null ? List.of() : nicSetup.rules());
    }

    @Override
    public synchronized List<RunError> errors() {
        List<RunError> errors = new ArrayList<>();
        if (validation != null) {
            errors.addAll(validation.errors());
        }
        for (FlowState f : flows) {
            if (f.failure() != null) {
                errors.add(new RunError(ErrorKind.DATA_CONNECTION, "flow " + f.name() + " on " + link + ": devmem "
                        + (f.receiver() != null ? "receive" : "send") + ": " + f.failure()));
            }
        }
        return errors;
    }

    /** Unbinds (closing the binding sockets), restores the NIC, frees the memory; in that order. */
    @Override
    public void close() {
        release(txBinding, rxBinding, nicSetup, memory);
    }

    /** Unbinds, restores the NIC, frees the memory; any of the first three may be null (not set up). */
    public static void release(DevmemBinding tx, DevmemBinding rx, NicSetup nicSetup, PayloadMemory memory) {
        if (tx != null) {
            tx.close();
        }
        if (rx != null) {
            rx.close();
        }
        if (nicSetup != null) {
            nicSetup.close();
        }
        memory.close();
    }
}
