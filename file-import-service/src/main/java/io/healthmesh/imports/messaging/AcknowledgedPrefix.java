package io.healthmesh.imports.messaging;

import java.util.TreeSet;

/**
 * The length of the longest run of acknowledged events from the first one: every event numbered
 * below {@link #value()} was acknowledged. Events of one job share their key (the user), so the
 * broker acknowledges them in order and the set of early acknowledgements stays empty; it is
 * there so that the prefix is right whatever the order.
 */
final class AcknowledgedPrefix {

    private long next;
    private final TreeSet<Long> ahead = new TreeSet<>();

    /** Starts after {@code first} events acknowledged earlier (a previous attempt). */
    AcknowledgedPrefix(long first) {
        this.next = first;
    }

    synchronized void acknowledged(long sequence) {
        if (sequence == next) {
            next++;
            while (!ahead.isEmpty() && ahead.first() == next) {
                ahead.pollFirst();
                next++;
            }
        } else if (sequence > next) {
            ahead.add(sequence);
        }
    }

    synchronized long value() {
        return next;
    }
}
