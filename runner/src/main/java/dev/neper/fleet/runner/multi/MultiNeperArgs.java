package dev.neper.fleet.runner.multi;

import dev.neper.fleet.runner.contract.UsageException;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * multi_neper.py's command line (the tcpd branch's script, which the seed's instructions use), read
 * as its argparse reads it: every flag with its default, long flags as --name value or --name=value
 * or any unique prefix of the name, short ones as -H value or -Hvalue. The per-link tables the script
 * hard-codes (NIC, GPU, CPU range per eth1..eth4) are not here: links get those from the runner's
 * per-link map.
 */
record MultiNeperArgs(String neperDir, int threads, int flows, int sourcePort, int port, int controlPort,
                      List<String> devices, String physLen, String bufferSize, boolean client, List<String> srcIps,
                      List<String> hosts, int queueStart, int queueNum, boolean tcpdValidate, boolean tcpdRxCpy,
                      boolean dryRun, String length, String log, String mode, boolean help) {

    /** The script's flags, in its order, with their defaults (null: none). */
    enum Flag {
        NEPER_DIR("--neper-dir", null, Kind.TEXT, "."),
        THREADS("--threads", null, Kind.INT, "4"),
        FLOWS("--flows", null, Kind.INT, "4"),
        SOURCE_PORT("--source-port", null, Kind.INT, "12345"),
        PORT("--port", null, Kind.INT, "12345"),
        CONTROL_PORT("--control-port", null, Kind.INT, "12866"),
        DEVICES("--devices", null, Kind.TEXT, "eth1"),
        PHYS_LEN("--phys-len", null, Kind.TEXT, "4294967296"),
        BUFFER_SIZE("--buffer-size", null, Kind.TEXT, String.valueOf(4096 * 120)),
        CLIENT("--client", "-c", Kind.SWITCH, null),
        SRC_IPS("--src-ips", null, Kind.TEXT, null),
        HOSTS("--hosts", "-H", Kind.TEXT, null),
        Q_START("--q-start", null, Kind.INT, "8"),
        Q_NUM("--q-num", null, Kind.INT, "4"),
        TCPD_VALIDATE("--tcpd-validate", null, Kind.SWITCH, null),
        TCPD_RX_CPY("--tcpd-rx-cpy", null, Kind.SWITCH, null),
        DRY_RUN("--dry-run", null, Kind.SWITCH, null),
        LENGTH("--length", "-l", Kind.TEXT, "10"),
        LOG("--log", null, Kind.TEXT, "WARNING"),
        MODE("--mode", "-m", Kind.TEXT, "cuda"),
        HELP("--help", "-h", Kind.SWITCH, null);

        enum Kind { SWITCH, INT, TEXT }

        final String longName;
        final String shortName;
        final Kind kind;
        final String defaultValue;

        Flag(String longName, String shortName, Kind kind, String defaultValue) {
            this.longName = longName;
            this.shortName = shortName;
            this.kind = kind;
            this.defaultValue = defaultValue;
        }

        String display() {
            return shortName != null ? shortName + "/" + longName : longName;
        }
    }

    static MultiNeperArgs parse(List<String> args) throws UsageException {
        Map<Flag, String> given = new EnumMap<>(Flag.class);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            Flag flag;
            String value = null;
            if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                flag = byLongPrefix(eq < 0 ? arg : arg.substring(0, eq));
                value = eq < 0 ? null : arg.substring(eq + 1);
            } else if (arg.startsWith("-") && arg.length() >= 2) {
                flag = byShort(arg.substring(0, 2));
                value = arg.length() > 2 ? arg.substring(2) : null;
            } else {
                throw new UsageException("unrecognized arguments: " + arg);
            }
            if (flag.kind == Flag.Kind.SWITCH) {
                if (value != null) {
                    throw new UsageException("argument " + flag.display() + ": ignored explicit argument '" + value + "'");
                }
                given.put(flag, "true");
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.size() || (args.get(i + 1).startsWith("-") && !args.get(i + 1).matches("-[0-9].*"))) {
                    throw new UsageException("argument " + flag.display() + ": expected one argument");
                }
                value = args.get(++i);
            }
            if (flag.kind == Flag.Kind.INT) {
                try {
                    Integer.parseInt(value.trim());
                } catch (NumberFormatException e) {
                    throw new UsageException("argument " + flag.display() + ": invalid int value: '" + value + "'");
                }
            }
            given.put(flag, value);
        }
        boolean help = given.containsKey(Flag.HELP);
        boolean client = given.containsKey(Flag.CLIENT);
        if (!help) {
            List<String> missing = new ArrayList<>();
            if (!client && !given.containsKey(Flag.SRC_IPS)) {
                missing.add(Flag.SRC_IPS.display());
            }
            if (!given.containsKey(Flag.HOSTS)) {
                missing.add(Flag.HOSTS.display());
            }
            if (!missing.isEmpty()) {
                throw new UsageException("the following arguments are required: " + String.join(", ", missing));
            }
        }
        return new MultiNeperArgs(text(given, Flag.NEPER_DIR), number(given, Flag.THREADS), number(given, Flag.FLOWS),
                number(given, Flag.SOURCE_PORT), number(given, Flag.PORT), number(given, Flag.CONTROL_PORT),
                list(text(given, Flag.DEVICES)), text(given, Flag.PHYS_LEN), text(given, Flag.BUFFER_SIZE), client,
                list(text(given, Flag.SRC_IPS)), list(text(given, Flag.HOSTS)), number(given, Flag.Q_START),
                number(given, Flag.Q_NUM), given.containsKey(Flag.TCPD_VALIDATE), given.containsKey(Flag.TCPD_RX_CPY),
                given.containsKey(Flag.DRY_RUN), text(given, Flag.LENGTH), text(given, Flag.LOG),
                text(given, Flag.MODE).toLowerCase(Locale.ROOT), help);
    }

    /** argparse's abbreviations: an exact name, else the one flag the prefix starts. */
    private static Flag byLongPrefix(String name) throws UsageException {
        List<Flag> matches = new ArrayList<>();
        for (Flag flag : Flag.values()) {
            if (flag.longName.equals(name)) {
                return flag;
            }
            if (name.length() > 2 && flag.longName.startsWith(name)) {
                matches.add(flag);
            }
        }
        if (matches.size() == 1) {
            return matches.getFirst();
        }
        if (matches.isEmpty()) {
            throw new UsageException("unrecognized arguments: " + name);
        }
        throw new UsageException("ambiguous option: " + name + " could match "
                + String.join(", ", matches.stream().map(f -> f.longName).toList()));
    }

    private static Flag byShort(String name) throws UsageException {
        for (Flag flag : Flag.values()) {
            if (name.equals(flag.shortName)) {
                return flag;
            }
        }
        throw new UsageException("unrecognized arguments: " + name);
    }

    private static String text(Map<Flag, String> given, Flag flag) {
        return given.getOrDefault(flag, flag.defaultValue);
    }

    private static int number(Map<Flag, String> given, Flag flag) {
        return Integer.parseInt(text(given, flag).trim());
    }

    private static List<String> list(String commaSeparated) {
        return commaSeparated == null ? List.of() : List.of(commaSeparated.split(",", -1));
    }

    static String usage(String program) {
        StringBuilder out = new StringBuilder("usage: " + program + " [-h]");
        for (Flag flag : Flag.values()) {
            if (flag == Flag.HELP) {
                continue;
            }
            String name = flag.shortName != null ? flag.shortName : flag.longName;
            String metavar = flag.kind == Flag.Kind.SWITCH ? ""
                    : " " + flag.longName.substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
            boolean required = flag == Flag.HOSTS;
            out.append(required ? " " : " [").append(name).append(metavar).append(required ? "" : "]");
        }
        out.append("\n\nRuns one tcp_stream engine per link in this process, as multi_neper.py runs one tcp_stream per NIC\n"
                + "(link i: control port control-port+i, data and source ports port+i*flows, source-port+i*flows).\n"
                + "Defaults: --threads 4 --flows 4 --port 12345 --source-port 12345 --control-port 12866\n"
                + "--buffer-size 491520 --phys-len 4294967296 --q-start 8 --q-num 4 -l 10 --log WARNING -m cuda\n"
                + "(cuda|udmabuf|default); --src-ips is required on the receiving host (without -c).\n"
                + "NEPER_MODE=host|udmabuf|cuda in the environment overrides -m, to rehearse a devmem command line\n"
                + "on a machine without devmem hardware.\n");
        return out.toString();
    }
}
