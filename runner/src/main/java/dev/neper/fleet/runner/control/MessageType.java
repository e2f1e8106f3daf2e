package dev.neper.fleet.runner.control;

/** The control message types, numbered as on the wire. */
public enum MessageType {
    CLI_HELLO(1), SER_ACK(2), CLI_DONE(3), SER_BYE(4);

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
