package dev.neper.fleet.runner.contract;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Parses tcp_stream arguments with getopt_long's rules: bundled short flags (-rw), a short option's
 * argument attached or next (-T2, -T 2), --name=value or --name value, unique abbreviations of long
 * names, an optional argument only when attached (-Afile, --all-samples=file), and "--" to end
 * options. Non-option arguments are an error, as in neper. This is the runner's parse of its own
 * command line, on its node: it checks the options ({@link OptionChecks#check}) and this node's limits
 * ({@link OptionChecks#checkNode}); code running elsewhere (the operator) calls {@link OptionChecks#check}.
 */
public final class OptionParser {
    public static final String HELP_LONG = "help";
    public static final String VERSION_LONG = "version";

    private OptionParser() {
    }

    public static ParsedCommand parse(List<String> args) throws UsageException {
        Map<OptionSpec, Object> given = new EnumMap<>(OptionSpec.class);
        boolean help = false;
        boolean version = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                if (i + 1 < args.size()) {
                    throw new UsageException("unexpected argument '" + args.get(i + 1) + "': tcp_stream takes options only");
                }
                break;
            }
            if (arg.startsWith("--")) {
                String body = arg.substring(2);
                int eq = body.indexOf('=');
                String name = eq < 0 ? body : body.substring(0, eq);
                String attached = eq < 0 ? null : body.substring(eq + 1);
                if (isPrefixOf(name, HELP_LONG) && OptionSpec.matchingLongName(name).isEmpty()) {
                    help = true;
                    continue;
                }
                if (isPrefixOf(name, VERSION_LONG) && OptionSpec.matchingLongName(name).isEmpty()) {
                    version = true;
                    continue;
                }
                OptionSpec option = resolveLong(name);
                String argument = attached;
                if (option.type() == ValueType.FLAG && attached != null) {
                    throw new UsageException("option '--" + option.longName() + "' doesn't allow an argument");
                }
                if (option.type() != ValueType.FLAG && option.type() != ValueType.OPTIONAL_PATH && argument == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("option '--" + option.longName() + "' requires an argument");
                    }
                    argument = args.get(++i);
                }
                given.put(option, ValueCodec.parse(option, argument));
            } else if (arg.startsWith("-") && arg.length() > 1) {
                for (int j = 1; j < arg.length(); j++) {
                    char c = arg.charAt(j);
                    if (c == 'h') {
                        help = true;
                        continue;
                    }
                    if (c == 'V') {
                        version = true;
                        continue;
                    }
                    OptionSpec option = OptionSpec.byShortName(c)
                            .orElseThrow(() -> new UsageException("invalid option -- '" + c + "'"));
                    if (option.type() == ValueType.FLAG) {
                        given.put(option, Boolean.TRUE);
                        continue;
                    }
                    String rest = arg.substring(j + 1);
                    String argument;
                    if (!rest.isEmpty()) {
                        argument = rest;
                    } else if (option.type() == ValueType.OPTIONAL_PATH) {
                        argument = null;
                    } else if (i + 1 < args.size()) {
                        argument = args.get(++i);
                    } else {
                        throw new UsageException("option requires an argument -- '" + c + "'");
                    }
                    given.put(option, ValueCodec.parse(option, argument));
                    break;
                }
            } else {
                throw new UsageException("unexpected argument '" + arg + "': tcp_stream takes options only");
            }
        }
        if (help) {
            return new ParsedCommand.ShowHelp();
        }
        if (version) {
            return new ParsedCommand.ShowVersion();
        }
        Options options = Options.defaults();
        for (Map.Entry<OptionSpec, Object> e : given.entrySet()) {
            options = options.with(e.getKey(), e.getValue());
        }
        options = options.withDerivedDirections();
        OptionChecks.check(options);
        OptionChecks.checkNode(options, NodeLimits.ofThisNode());
        return new ParsedCommand.Run(options);
    }

    private static boolean isPrefixOf(String name, String longName) {
        return !name.isEmpty() && longName.startsWith(name);
    }

    private static OptionSpec resolveLong(String name) throws UsageException {
        List<OptionSpec> matches = OptionSpec.matchingLongName(name);
        if (matches.isEmpty() || name.isEmpty()) {
            throw new UsageException("unrecognized option '--" + name + "'");
        }
        if (matches.size() > 1) {
            throw new UsageException("option '--" + name + "' is ambiguous; possibilities: "
                    + String.join(" ", matches.stream().map(o -> "'--" + o.longName() + "'").toList()));
        }
        return matches.getFirst();
    }

    /** neper's usage text: one line per option, short name first where there is one. */
    public static String usage(String program) {
        StringBuilder out = new StringBuilder("usage: " + program + " [<options>]\n\n");
        int width = 0;
        for (OptionSpec o : OptionSpec.values()) {
            width = Math.max(width, o.longName().length());
        }
        appendUsageLine(out, 'h', HELP_LONG, width, "Show usage and exit");
        appendUsageLine(out, 'V', VERSION_LONG, width, "Show version and exit");
        for (OptionSpec o : OptionSpec.values()) {
            appendUsageLine(out, o.shortName(), o.longName(), width, o.help());
        }
        return out.toString();
    }

    private static void appendUsageLine(StringBuilder out, char shortName, String longName, int width, String help) {
        out.append(shortName != 0 ? "  -" + shortName + "," : "     ");
        out.append(" --").append(longName).append(" ".repeat(width - longName.length())).append("  ").append(help)
                .append('\n');
    }
}
