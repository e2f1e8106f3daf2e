package dev.neper.fleet.runner.contract;

/** A bad command line: the message is the one line the user sees, naming the offending flag. */
public class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }
}
