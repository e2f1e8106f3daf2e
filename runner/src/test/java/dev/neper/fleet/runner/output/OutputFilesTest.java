package dev.neper.fleet.runner.output;

import dev.neper.fleet.runner.contract.UsageException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A results file that cannot be written is refused before the run, so no result is lost after it. */
@Tag("unit")
class OutputFilesTest {
    @Test
    void aFileInAMissingDirectoryOrADirectoryIsRefusedAndAWritableFileIsLeftAsItWas() throws Exception {
        assertEquals("-A /nonexistent/x.csv: cannot be written, directory /nonexistent does not exist",
                assertThrows(UsageException.class, () -> OutputFiles.requireWritable("-A", "/nonexistent/x.csv"))
                        .getMessage());
        Path dir = Files.createTempDirectory("outputs");
        assertEquals("--report-json " + dir + ": is a directory, not a file", assertThrows(UsageException.class,
                () -> OutputFiles.requireWritable("--report-json", dir.toString())).getMessage());
        Path fresh = dir.resolve("fresh.json");
        assertDoesNotThrow(() -> OutputFiles.requireWritable("--report-json", fresh.toString()));
        assertFalse(Files.exists(fresh), "the check leaves no file behind");
        Path existing = Files.writeString(dir.resolve("old.csv"), "kept");
        assertDoesNotThrow(() -> OutputFiles.requireWritable("-A", existing.toString()));
        assertEquals("kept", Files.readString(existing));
        assertDoesNotThrow(() -> OutputFiles.requireWritable("--report-json", "-"));
        Files.delete(existing);
        Files.delete(dir);
    }
}
