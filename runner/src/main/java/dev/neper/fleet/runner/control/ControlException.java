package dev.neper.fleet.runner.control;

import dev.neper.fleet.runner.contract.ErrorKind;

import java.io.IOException;

/** A control-plane failure, with the error kind the run reports for it. */
public class ControlException extends IOException {
    private final ErrorKind kind;

    public ControlException(ErrorKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ControlException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }
}
