package dev.neper.fleet.runner.lifecycle;

import dev.neper.fleet.runner.contract.Options;
import dev.neper.fleet.runner.log.RunLog;

/** What every run of the runner process sets up first: logging, signal handling, the suicide timer. */
public final class ProcessSetup {
    private ProcessSetup() {
    }

    public static Termination begin(String program, Options options) {
        RunLog.configure(program, options.logToStderr(), options.noLog());
        Termination termination = new Termination();
        termination.handleSignals();
        if (options.suicideLength() > 0) {
            termination.armSuicide(options.suicideLength());
        }
        return termination;
    }

    public static void end() {
        RunLog.close();
    }
}
