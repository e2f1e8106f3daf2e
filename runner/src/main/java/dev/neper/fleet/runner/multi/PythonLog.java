package dev.neper.fleet.runner.multi;

import dev.neper.fleet.runner.contract.UsageException;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** Python logging's basicConfig output, as multi_neper.py logs: "LEVEL:root:message" on stderr at or above a level. */
final class PythonLog {
    private static final Map<String, Integer> LEVELS = Map.of("CRITICAL", 50, "FATAL", 50, "ERROR", 40,
            "WARNING", 30, "WARN", 30, "INFO", 20, "DEBUG", 10, "NOTSET", 0);

    private final PrintStream err;
    private final int level;

    PythonLog(PrintStream err, int level) {
        this.err = err;
        this.level = level;
    }

    /** --log's level name, as basicConfig(level=NAME.upper()) takes it. */
    static int level(String name) throws UsageException {
        Integer level = LEVELS.get(name.toUpperCase(Locale.ROOT));
        if (level == null) {
            throw new UsageException("argument --log: unknown level '" + name.toUpperCase(Locale.ROOT)
                    + "' (DEBUG, INFO, WARNING, ERROR, CRITICAL)");
        }
        return level;
    }

    void debug(String message) {
        log(10, "DEBUG", message);
    }

    void info(String message) {
        log(20, "INFO", message);
    }

    void warning(String message) {
        log(30, "WARNING", message);
    }

    private void log(int at, String name, String message) {
        if (at >= level) {
            err.println(name + ":root:" + message);
            err.flush();
        }
    }
}
