package dev.neper.fleet.runner.output;

import dev.neper.fleet.runner.contract.UsageException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The files a run writes its results to, checked before it runs: a results file that cannot be
 * written would otherwise be found out only after the test, its results lost.
 */
public final class OutputFiles {
    private OutputFiles() {
    }

    /**
     * Refuses a path this process cannot write: an existing file is opened for appending (its content
     * left as it is), a missing one created and removed again. Null (not asked for) and "-" (stdout) pass.
     */
    public static void requireWritable(String flag, String path) throws UsageException {
        if (path == null || path.equals("-")) {
            return;
        }
        Path file;
        try {
            file = Path.of(path);
        } catch (InvalidPathException e) {
            throw new UsageException(flag + " " + path + ": not a file name (" + e.getReason() + ")");
        }
        if (Files.isDirectory(file)) {
            throw new UsageException(flag + " " + path + ": is a directory, not a file");
        }
        try {
            if (Files.exists(file)) {
                try (OutputStream ignored = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
                    return;
                }
            }
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new UsageException(flag + " " + path + ": cannot be written, directory " + parent
                        + " does not exist");
            }
            Files.createFile(file);
            Files.delete(file);
        } catch (IOException e) {
            throw new UsageException(flag + " " + path + ": cannot be written (" + reason(e) + ")");
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
