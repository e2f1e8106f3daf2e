package dev.neper.fleet.operator.record;

import dev.neper.fleet.operator.events.Notice;

import java.util.List;

/**
 * What a change of status means, computed once per reconcile from the status last written and the
 * new one; the status recorder writes, emits and reschedules from it alone.
 */
public interface Transition {
    /** Written at once, past the coalescing interval: users wait for it, and the next steps rely on it. */
    boolean urgent();

    /** The Events the change deserves; each goes out once, however often the reconciler runs. */
    List<Notice> events();

    /** Work waits for this write (pods stopped only once the status says why): come back right after it. */
    boolean followUp();
}
