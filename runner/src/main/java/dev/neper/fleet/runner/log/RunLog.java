package dev.neper.fleet.runner.log;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * neper's logging: informational lines go to a log file named
 * {@code <program>.<host>.<user>.<date>-<time>.<pid>.log} in the working directory, or to stderr
 * with --logtostderr, or nowhere with --nolog; warnings and errors always also reach stderr, so a
 * failure is never silent.
 */
public final class RunLog {
    private static final DateTimeFormatter LINE_TIME = DateTimeFormatter.ofPattern("MMdd HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static volatile RunLog current = new RunLog(null, false);

    private final PrintStream sink;
    private final boolean sinkIsStderr;

    private RunLog(PrintStream sink, boolean sinkIsStderr) {
        this.sink = sink;
        this.sinkIsStderr = sinkIsStderr;
    }

    /** Sets up logging for this process from the --logtostderr and --nolog choices. */
    public static void configure(String program, boolean toStderr, boolean none) {
        if (toStderr) {
            current = new RunLog(System.err, true);
        } else if (none) {
            current = new RunLog(null, false);
        } else {
            current = new RunLog(openFile(program), false);
        }
    }

    private static PrintStream openFile(String program) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "_";
        }
        String user = System.getProperty("user.name", "_");
        String name = String.format("%s.%s.%s.%s.%d.log", program, host, user,
                LocalDateTime.now().format(FILE_TIME), ProcessHandle.current().pid());
        try {
            return new PrintStream(Files.newOutputStream(Path.of(name)), true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("cannot open log file " + name + ": " + e.getMessage() + "; logging to stderr");
            return System.err;
        }
    }

    public static void info(String message) {
        current.log('I', message);
    }

    public static void warn(String message) {
        current.log('W', message);
    }

    public static void error(String message) {
        current.log('E', message);
    }

    private void log(char level, String message) {
        String line = level + LocalDateTime.now().format(LINE_TIME) + " " + Thread.currentThread().getName() + "] "
                + message;
        if (sink != null) {
            synchronized (sink) {
                sink.println(line);
            }
        }
        if (level != 'I' && !sinkIsStderr) {
            System.err.println(message);
        }
    }

    public static void close() {
        RunLog log = current;
        if (log.sink != null && !log.sinkIsStderr) {
            log.sink.close();
        }
        current = new RunLog(null, false);
    }
}
