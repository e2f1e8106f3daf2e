package dev.neper.fleet.runner.nic;

import dev.neper.fleet.runner.lifecycle.Termination;

import java.nio.file.Path;

/**
 * A test process that changes one NIC feature through {@link NicSetup} and holds it until SIGTERM
 * (then restores, as a run does) or until it is SIGKILLed (then the record file is all that is left).
 * Arguments: link, feature, on|off, record directory.
 */
public final class NicChangeHolder {
    private NicChangeHolder() {
    }

    public static void main(String[] args) throws Exception {
        Termination termination = new Termination();
        termination.handleSignals();
        NicSetup setup = NicSetup.changeFeature(Nic.resolve(args[0]), args[1], args[2].equals("on"),
                new NicRecordStore(Path.of(args[3])));
        System.out.println("changed");
        System.out.flush();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!termination.requested() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        setup.close();
        System.out.println("restored");
        System.out.flush();
    }
}
