package dev.neper.fleet.operator.api;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go-style durations in whole seconds, the spelling Kubernetes users know: 30s, 5m, 1h30m. */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?");

    private Durations() {
    }

    /** Parses a duration; throws IllegalArgumentException naming the text when it is not one. */
    public static Duration parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text);
        if (m == null || text.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 30s, 5m or 1h30m");
        }
        try {
            return Duration.ofHours(group(m, 1)).plusMinutes(group(m, 2)).plusSeconds(group(m, 3));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        }
    }

    private static long group(Matcher m, int index) {
        String value = m.group(index);
        if (value == null) {
            return 0;
        }
        if (value.length() > 9) {
            throw new ArithmeticException();
        }
        return Long.parseLong(value);
    }

    /** The Go-style spelling of a whole number of seconds. */
    public static String format(Duration duration) {
        long seconds = duration.toSeconds();
        StringBuilder text = new StringBuilder();
        if (seconds >= 3600) {
            text.append(seconds / 3600).append('h');
        }
        if (seconds % 3600 >= 60) {
            text.append(seconds % 3600 / 60).append('m');
        }
        if (seconds % 60 != 0 || text.isEmpty()) {
            text.append(seconds % 60).append('s');
        }
        return text.toString();
    }
}
