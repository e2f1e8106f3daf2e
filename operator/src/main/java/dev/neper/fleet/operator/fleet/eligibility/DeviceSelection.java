package dev.neper.fleet.operator.fleet.eligibility;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which devices a fleet test covers: named ones, or every device whose name matches a pattern. Each
 * selected device name is a rail: device D of one node is tested only against device D of another.
 *
 * @param names   the devices by name, or empty when a pattern selects them
 * @param pattern a regular expression a whole device name must match, or null when names select them
 */
public record DeviceSelection(List<String> names, String pattern) {
    /** Interface names by their text, then by the number they end with: eth2 before eth10. */
    public static final Comparator<String> NATURAL_ORDER = Comparator
            .comparing((String name) -> name.substring(0, digitsStart(name)))
            .thenComparingLong(DeviceSelection::trailingNumber)
            .thenComparing(Comparator.naturalOrder());

    public DeviceSelection {
        names = names == null ? List.of() : List.copyOf(names);
        if (names.isEmpty() == (pattern == null)) {
            throw new IllegalArgumentException("select devices either by names or by a pattern");
        }
        if (pattern != null) {
            Pattern.compile(pattern);
        }
    }

    public static DeviceSelection named(String... names) {
        return new DeviceSelection(List.of(names), null);
    }

    public static DeviceSelection matching(String pattern) {
        return new DeviceSelection(List.of(), pattern);
    }

    /** The rails: the named devices, or the names matching the pattern on any node, in natural order. */
    public List<String> rails(Collection<ObservedNode> nodes) {
        Set<String> rails = new HashSet<>();
        if (pattern == null) {
            rails.addAll(names);
        } else {
            Pattern compiled = Pattern.compile(pattern);
            for (ObservedNode node : nodes) {
                for (ObservedDevice device : node.devices()) {
                    if (compiled.matcher(device.name()).matches()) {
                        rails.add(device.name());
                    }
                }
            }
        }
        return rails.stream().sorted(NATURAL_ORDER).toList();
    }

    /** Where the name's trailing digits start (at most 18 of them, so they fit a long). */
    private static int digitsStart(String name) {
        int start = name.length();
        while (start > 0 && Character.isDigit(name.charAt(start - 1)) && name.length() - start < 18) {
            start--;
        }
        return start;
    }

    private static long trailingNumber(String name) {
        int start = digitsStart(name);
        return start == name.length() ? -1 : Long.parseLong(name.substring(start));
    }
}
