package dev.neper.fleet.runner.nic;

import dev.neper.fleet.runner.contract.LinkSetCommand;
import dev.neper.fleet.runner.contract.ReportJson;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Where NIC records live: one JSON file per (network namespace, interface), written atomically
 * (temporary file, then rename) so a kill mid-write leaves the previous version. The directory is
 * $NEPER_RUNNER_STATE_DIR, else /run/neper-runner (tmpfs: a reboot, which resets the NIC anyway,
 * clears it).
 */
public final class NicRecordStore {
    public static final String DIRECTORY_VARIABLE = "NEPER_RUNNER_STATE_DIR";
    public static final Path DEFAULT_DIRECTORY = Path.of(LinkSetCommand.NIC_RECORD_DIRECTORY);

    private final Path directory;

    public NicRecordStore(Path directory) {
        this.directory = directory;
    }

    public static NicRecordStore fromEnvironment() {
        String dir = System.getenv(DIRECTORY_VARIABLE);
        return new NicRecordStore(dir == null || dir.isBlank() ? DEFAULT_DIRECTORY : Path.of(dir));
    }

    public Path directory() {
        return directory;
    }

    /** The record file of an interface in the calling thread's network namespace. */
    public Path fileFor(String link) throws IOException {
        return directory.resolve("nic-" + networkNamespaceId() + "-" + link + ".json");
    }

    /** The inode number of the calling thread's network namespace, e.g. 4026531840. */
    static String networkNamespaceId() throws IOException {
        String target = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
        return target.replaceAll("[^0-9]", "");
    }

    public Optional<NicRecord> read(String link) throws IOException {
        Path file = fileFor(link);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(ReportJson.fromJson(Files.readString(file), NicRecord.class));
        } catch (IOException e) {
            throw new IOException("cannot read the NIC record " + file + " a previous run left: " + e.getMessage()
                    + "; restore its settings by hand and delete it", e);
        }
    }

    public void write(NicRecord record) throws IOException {
        Files.createDirectories(directory);
        Path file = fileFor(record.link());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, ReportJson.toJson(record));
        try {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public void delete(String link) throws IOException {
        Files.deleteIfExists(fileFor(link));
    }
}
