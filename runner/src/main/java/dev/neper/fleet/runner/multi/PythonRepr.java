package dev.neper.fleet.runner.multi;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Python's repr() of strings, lists, dicts and pairs, as multi_neper.py's debug lines show its values. */
final class PythonRepr {
    private PythonRepr() {
    }

    static String of(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder().append(quote);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c == quote) {
                        out.append('\\').append(c);
                    } else if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append(quote).toString();
    }

    static String of(List<String> list) {
        return list.stream().map(PythonRepr::of).collect(Collectors.joining(", ", "[", "]"));
    }

    static String of(Map<String, String> dict) {
        return dict.entrySet().stream().map(e -> of(e.getKey()) + ": " + of(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    static String pair(String first, Map<String, String> second) {
        return "(" + of(first) + ", " + of(second) + ")";
    }
}
