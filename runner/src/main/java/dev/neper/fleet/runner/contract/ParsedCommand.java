package dev.neper.fleet.runner.contract;

/** What a tcp_stream command line asks for. */
public sealed interface ParsedCommand {
    record Run(Options options) implements ParsedCommand {
    }

    record ShowHelp() implements ParsedCommand {
    }

    record ShowVersion() implements ParsedCommand {
    }
}
