package dev.neper.fleet.runner.contract;

/** One error of a run: its kind and the message the runner printed. */
public record RunError(ErrorKind kind, String message) {
}
