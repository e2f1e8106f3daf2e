package dev.neper.fleet.runner.contract;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses option arguments into values and renders values back, per {@link ValueType}. */
final class ValueCodec {
    static final String DEFAULT_SAMPLES_FILE = "samples.csv";
    private static final Pattern DURATION = Pattern.compile("([0-9]+)(ns|us|ms|s)?");
    private static final Pattern RATE = Pattern.compile("([0-9]+(?:\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\\.[0-9]+)(.*)");

    private ValueCodec() {
    }

    /** Parses an argument; {@code argument} is null only for flags and an omitted optional argument. */
    static Object parse(OptionSpec option, String argument) throws UsageException {
        String flag = "--" + option.longName();
        return switch (option.type()) {
            case FLAG -> Boolean.TRUE;
            case INT -> parseInt(flag, argument);
            case UINT32 -> parseUnsignedInt(flag, argument);
            case PORT -> {
                int port = parseInt(flag, argument);
                if (port < 1 || port > 65535) {
                    throw new UsageException("invalid value '" + argument + "' for " + flag + ": not a port (1..65535)");
                }
                yield port;
            }
            case SIZE -> {
                try {
                    long v = Long.parseLong(argument.trim());
                    if (v < 0) {
                        throw new NumberFormatException();
                    }
                    yield v;
                } catch (NumberFormatException e) {
                    throw new UsageException("invalid value '" + argument + "' for " + flag + ": not a non-negative integer");
                }
            }
            case DURATION -> parseDuration(flag, argument);
            case DOUBLE -> {
                try {
                    double v = Double.parseDouble(argument.trim());
                    if (!Double.isFinite(v)) {
                        throw new NumberFormatException();
                    }
                    yield v;
                } catch (NumberFormatException e) {
                    throw new UsageException("invalid value '" + argument + "' for " + flag + ": not a number");
                }
            }
            case STRING -> argument;
            case RATE -> parseRate(flag, argument);
            case UNIT -> ThroughputUnit.bySuffix(argument).orElseThrow(() -> new UsageException(
                    "invalid value '" + argument + "' for " + flag + ": not a unit (b k m g B K M G Kb Mb Gb KB MB GB"
                            + " Kib Mib Gib KiB MiB GiB auto-b auto-ib auto-B auto-iB)"));
            case OPTIONAL_PATH -> argument == null ? DEFAULT_SAMPLES_FILE : argument;
            case MODE -> MemoryMode.byArgument(argument).orElseThrow(() -> new UsageException(
                    "invalid value '" + argument + "' for " + flag + ": not a memory mode (host, udmabuf, cuda)"));
        };
    }

    private static int parseInt(String flag, String argument) throws UsageException {
        try {
            return Integer.parseInt(argument.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("invalid value '" + argument + "' for " + flag + ": not an integer");
        }
    }

    private static int parseUnsignedInt(String flag, String argument) throws UsageException {
        try {
            long v = Long.parseLong(argument.trim());
            if (v < Integer.MIN_VALUE || v > 0xFFFF_FFFFL) {
                throw new NumberFormatException();
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw new UsageException("invalid value '" + argument + "' for " + flag
                    + ": not a 32-bit unsigned integer (0..4294967295)");
        }
    }

    /**
     * Nanoseconds, as neper's parse_duration reads them (tcp_stream itself takes a bare number, so
     * there "5us" was 5 ns).
     */
    private static long parseDuration(String flag, String argument) throws UsageException {
        Matcher m = DURATION.matcher(argument.trim());
        if (!m.matches()) {
            throw new UsageException("invalid value '" + argument + "' for " + flag
                    + ": not a duration (nanoseconds, or a whole number with ns, us, ms or s)");
        }
        long scale = switch (m.group(2) == null ? "ns" : m.group(2)) {
            case "us" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            default -> 1L;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), scale);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new UsageException("invalid value '" + argument + "' for " + flag + ": out of range");
        }
    }

    /**
     * A number with an optional unit suffix, in bytes/s. Unlike neper, which matches suffixes by
     * prefix (so "100Mb" became 100 MiB/s), the suffix must be a unit exactly: "100Mb" is 100 Mbit/s.
     */
    private static long parseRate(String flag, String argument) throws UsageException {
        Matcher m = RATE.matcher(argument.trim());
        if (!m.matches()) {
            throw new UsageException("invalid value '" + argument + "' for " + flag + ": no number found");
        }
        double value = Double.parseDouble(m.group(1));
        String suffix = m.group(2);
        double multiplier = 1;
        if (!suffix.isEmpty()) {
            ThroughputUnit unit = ThroughputUnit.bySuffix(suffix).filter(u -> !u.isAuto()).orElseThrow(
                    () -> new UsageException("invalid value '" + argument + "' for " + flag + ": unknown rate suffix '"
                            + suffix + "' (use b k m g B K M G Kb Mb Gb KB MB GB Kib Mib Gib KiB MiB GiB)"));
            multiplier = unit.bytesPerSecond();
        }
        double bytesPerSecond = value * multiplier;
        if (!(bytesPerSecond >= 0) || bytesPerSecond >= 0x1p63) {
            throw new UsageException("invalid value '" + argument + "' for " + flag + ": out of range");
        }
        return (long) bytesPerSecond;
    }

    /** The value as neper prints it in its name=value dump. */
    static String dump(OptionSpec option, Object value) {
        return switch (option.type()) {
            case FLAG -> (Boolean) value ? "1" : "0";
            case DOUBLE -> String.format(Locale.ROOT, "%f", (Double) value);
            case UNIT -> ((ThroughputUnit) value).suffix();
            case MODE -> ((MemoryMode) value).argument();
            case UINT32 -> Integer.toUnsignedString((Integer) value);
            case STRING, OPTIONAL_PATH -> value == null ? "" : (String) value;
            default -> String.valueOf(value);
        };
    }

    /** The value as a command-line argument that parses back to itself. */
    static String argument(OptionSpec option, Object value) {
        return switch (option.type()) {
            case DOUBLE -> Double.toString((Double) value);
            case UNIT -> ((ThroughputUnit) value).suffix();
            case MODE -> ((MemoryMode) value).argument();
            case UINT32 -> Integer.toUnsignedString((Integer) value);
            default -> String.valueOf(value);
        };
    }

    /** Checks a programmatically supplied value has the Java type its option stores. */
    static Object requireType(OptionSpec option, Object value) {
        Class<?> expected = switch (option.type()) {
            case FLAG -> Boolean.class;
            case INT, UINT32, PORT -> Integer.class;
            case SIZE, RATE, DURATION -> Long.class;
            case DOUBLE -> Double.class;
            case STRING, OPTIONAL_PATH -> String.class;
            case UNIT -> ThroughputUnit.class;
            case MODE -> MemoryMode.class;
        };
        boolean nullable = option.type() == ValueType.STRING || option.type() == ValueType.OPTIONAL_PATH;
        if (value == null ? !nullable : !expected.isInstance(value)) {
            throw new IllegalArgumentException(option.variableName() + " takes a " + expected.getSimpleName()
                    + ", not " + (value == null ? "null" : value.getClass().getSimpleName()));
        }
        return value;
    }
}
