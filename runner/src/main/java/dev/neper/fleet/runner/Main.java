package dev.neper.fleet.runner;

import dev.neper.fleet.runner.cli.OptionParser;
import dev.neper.fleet.runner.cli.Options;
import dev.neper.fleet.runner.cli.ParsedCommand;
import dev.neper.fleet.runner.cli.UsageException;
import dev.neper.fleet.runner.devmem.DataPath;
import dev.neper.fleet.runner.doctor.Doctor;
import dev.neper.fleet.runner.engine.FlowIoFactory;
import dev.neper.fleet.runner.engine.StreamRun;
import dev.neper.fleet.runner.lifecycle.Termination;
import dev.neper.fleet.runner.log.RunLog;
import dev.neper.fleet.runner.report.ErrorKind;
import dev.neper.fleet.runner.report.NeperOutput;
import dev.neper.fleet.runner.report.ReportJson;
import dev.neper.fleet.runner.report.RunError;
import dev.neper.fleet.runner.report.RunReport;
import dev.neper.fleet.runner.sys.MissingSupportException;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

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

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (!args.isEmpty() && args.getFirst().equals(Doctor.SUBCOMMAND)) {
            return Doctor.run(args.subList(1, args.size()), out, err);
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
        RunLog.configure(PROGRAM, options.logToStderr(), options.noLog());
        Termination termination = new Termination();
        termination.handleSignals();
        if (options.suicideLength() > 0) {
            termination.armSuicide(options.suicideLength());
        }
        RunReport report;
        try (FlowIoFactory dataPath = DataPath.open(options)) {
            report = new StreamRun(options, termination, dataPath, lines -> NeperOutput.print(out, lines), version()).run();
        } catch (IOException e) {
            report = RunReport.setupFailed(options, version(), new RunError(
                    e instanceof MissingSupportException ? ErrorKind.UNSUPPORTED : ErrorKind.INTERNAL, e.getMessage()));
        } finally {
            RunLog.close();
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
