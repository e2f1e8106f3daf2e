package dev.neper.fleet.runner.nic;

import java.util.ArrayList;
import java.util.List;

/**
 * What a run has changed on one NIC so far, in order, kept on disk while the run lasts: if the run is
 * SIGKILLed the next run finds it and undoes the changes first. {@code pid} is the process that
 * made them, so a record of a run still alive is told apart from a stale one.
 */
public record NicRecord(int schemaVersion, String link, long pid, List<NicChange> changes) {
    public static final int SCHEMA_VERSION = 1;

    public NicRecord {
        changes = List.copyOf(changes);
    }

    public NicRecord with(NicChange change) {
        List<NicChange> more = new ArrayList<>(changes);
        more.add(change);
        return new NicRecord(schemaVersion, link, pid, more);
    }
}
