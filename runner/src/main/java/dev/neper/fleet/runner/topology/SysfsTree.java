package dev.neper.fleet.runner.topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A sysfs tree: /sys itself, or a copy of it under another directory ({@code --sysfs-root}), read by
 * paths relative to its root ("class/net/eth1/device"). Symlinks are resolved inside the tree: a
 * relative target against the link's directory, an absolute one (a copy made with absolute links)
 * against the root, "/sys/" stripped; ".." stops at the root. So a copy reads like the real thing and
 * nothing outside it is ever read.
 */
public final class SysfsTree {
    private static final int MAX_LINKS = 40;
    private static final Path LIVE = Path.of("/sys");

    private final Path root;

    private SysfsTree(Path root) {
        this.root = root;
    }

    /** The running system's /sys. */
    public static SysfsTree live() {
        return new SysfsTree(LIVE);
    }

    /** A copy of a sysfs tree; the live one when {@code root} is null. */
    public static SysfsTree at(Path root) {
        return root == null ? live() : new SysfsTree(root.toAbsolutePath().normalize());
    }

    /** Whether this is the running system's /sys (a copy describes another machine: its CPUs are not ours). */
    public boolean isLive() {
        return root.equals(LIVE);
    }

    public Path root() {
        return root;
    }

    /**
     * The path, relative to the root and with every symlink resolved, that {@code relative} names; empty
     * when some part of it does not exist or the links loop.
     */
    public Optional<String> resolve(String relative) {
        Deque<String> pending = new ArrayDeque<>(parts(relative));
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!pending.isEmpty()) {
            String part = pending.removeFirst();
            if (part.equals("..")) {
                if (!done.isEmpty()) {
                    done.removeLast();
                }
                continue;
            }
            if (part.equals(".")) {
                continue;
            }
            Path here = root.resolve(String.join("/", done)).resolve(part);
            if (Files.isSymbolicLink(here)) {
                if (++links > MAX_LINKS) {
                    return Optional.empty();
                }
                String target;
                try {
                    target = Files.readSymbolicLink(here).toString();
                } catch (IOException e) {
                    return Optional.empty();
                }
                if (target.startsWith("/")) {
                    done.clear();
                    target = target.startsWith("/sys/") ? target.substring(5) : target.substring(1);
                }
                List<String> targetParts = parts(target);
                for (int i = targetParts.size() - 1; i >= 0; i--) {
                    pending.addFirst(targetParts.get(i));
                }
                continue;
            }
            if (!Files.exists(here)) {
                return Optional.empty();
            }
            done.add(part);
        }
        return Optional.of(String.join("/", done));
    }

    private static List<String> parts(String path) {
        return Stream.of(path.split("/")).filter(p -> !p.isEmpty()).toList();
    }

    /** The first line of a file, trimmed; empty when it is missing or unreadable. */
    public Optional<String> read(String relative) {
        Optional<String> path = resolve(relative);
        if (path.isEmpty()) {
            return Optional.empty();
        }
        try {
            // Files.readString stops short on sysfs files, whose reported size is 0
            List<String> lines = Files.readAllLines(root.resolve(path.get()));
            return lines.isEmpty() ? Optional.of("") : Optional.of(lines.getFirst().trim());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The names in a directory, sorted; empty when it is missing. */
    public List<String> list(String relative) {
        Optional<String> path = resolve(relative);
        if (path.isEmpty()) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root.resolve(path.get()))) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The last part of where a symlink leads (a driver's name from ".../driver"); empty when it is missing. */
    public Optional<String> linkName(String relative) {
        return resolve(relative).map(p -> p.substring(p.lastIndexOf('/') + 1));
    }
}
