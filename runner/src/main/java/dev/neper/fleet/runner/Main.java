package dev.neper.fleet.runner;

import dev.neper.fleet.runner.contract.OptionParser;
import dev.neper.fleet.runner.contract.Options;
import dev.neper.fleet.runner.contract.ParsedCommand;
import dev.neper.fleet.runner.contract.UsageException;
import dev.neper.fleet.runner.datapath.DataPath;
import dev.neper.fleet.runner.discover.DiscoverMain;
import dev.neper.fleet.runner.doctor.Doctor;
import dev.neper.fleet.runner.engine.FlowIoFactory;
import dev.neper.fleet.runner.engine.StreamRun;
import dev.neper.fleet.runner.engine.WarmUp;
import dev.neper.fleet.runner.lifecycle.ProcessSetup;
import dev.neper.fleet.runner.lifecycle.Termination;
import dev.neper.fleet.runner.contract.LinkSetCommand;
import dev.neper.fleet.runner.multi.LinkSetMain;
import dev.neper.fleet.runner.multi.MultiNeperMain;
import dev.neper.fleet.runner.output.NeperOutput;
import dev.neper.fleet.runner.output.OutputFiles;
import dev.neper.fleet.runner.contract.ReportJson;
import dev.neper.fleet.runner.contract.RunError;
import dev.neper.fleet.runner.contract.RunReport;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** neper-runner: a drop-in for neper's tcp_stream. Exit code 0 on success, 1 on any error. */
public final class Main {
    public static final String PROGRAM = "neper-runner";

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(Arrays.asList(args), System.out, System.err);
        System.exit(code);
    }

    public static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** A subcommand: the first argument, since tcp_stream itself takes no bare words. */
    private interface Subcommand {
        int run(List<String> args, PrintStream out, PrintStream err);
    }

    private static final Map<String, Subcommand> SUBCOMMANDS = Map.of(
            LinkSetCommand.SUBCOMMAND, (args, out, err) -> LinkSetMain.run(PROGRAM, version(), args, out, err),
            Doctor.SUBCOMMAND, Doctor::run,
            DiscoverMain.SUBCOMMAND, (args, out, err) -> DiscoverMain.run(version(), args, out, err),
            MultiNeperMain.SUBCOMMAND, (args, out, err) -> MultiNeperMain.run(PROGRAM, version(), args, out, err,
                    System.getenv()));

    static int run(List<String> args, PrintStream out, PrintStream err) {
        Optional<String> environmentProblem = WarmUp.problem(System.getenv());
        if (environmentProblem.isPresent()) {
            err.println(PROGRAM + ": " + environmentProblem.get());
            return 1;
        }
        if (!args.isEmpty() && SUBCOMMANDS.containsKey(args.getFirst())) {
            return SUBCOMMANDS.get(args.getFirst()).run(args.subList(1, args.size()), out, err);
        }
        ParsedCommand command;
        try {
            command = OptionParser.parse(args);
        } catch (UsageException e) {
            err.println(PROGRAM + ": " + e.getMessage());
            return 1;
        }
        return switch (command) {
            case ParsedCommand.ShowHelp() -> {
                out.print(OptionParser.usage(PROGRAM));
                yield 0;
            }
            case ParsedCommand.ShowVersion() -> {
                out.println(PROGRAM + " " + version() + " (neper tcp_stream " + NeperOutput.NEPER_VERSION + " compatible)");
                yield 0;
            }
            case ParsedCommand.Run(Options options) -> runStream(options, out, err);
        };
    }

    private static int runStream(Options options, PrintStream out, PrintStream err) {
        try {
            OutputFiles.requireWritable("--report-json", options.reportJson());
            if (options.enableRead() && !options.dryRun()) {
                OutputFiles.requireWritable("-A/--all-samples", options.allSamples());
            }
        } catch (UsageException e) {
            err.println(PROGRAM + ": " + e.getMessage());
            return 1;
        }
        Termination termination = ProcessSetup.begin(PROGRAM, options);
        RunReport report;
        try (FlowIoFactory memory = DataPath.open(options)) {
            report = new StreamRun(options, termination, memory, "main", lines -> NeperOutput.print(out, lines), () -> {
            }, version()).run();
        } catch (IOException e) {
            report = RunReport.setupFailed(options, version(), DataPath.setupError(e));
        } finally {
            ProcessSetup.end();
        }
        if (report == null) {
            return 0;
        }
        for (RunError error : report.errors()) {
            err.println(PROGRAM + ": " + error.kind() + ": " + error.message());
        }
        if (options.reportJson() != null) {
            try {
                ReportJson.write(report, options.reportJson());
            } catch (IOException e) {
                err.println(PROGRAM + ": cannot write the report to " + options.reportJson() + ": " + e.getMessage());
                return 1;
            }
        }
        return report.succeeded() ? 0 : 1;
    }
}
