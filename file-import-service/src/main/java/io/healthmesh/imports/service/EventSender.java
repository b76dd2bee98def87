package io.healthmesh.imports.service;

import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A job's second thread: the reader (the job's thread, parsing the file) hands over what it read in
 * chunks, and this thread turns each item into its event and sends it, in the order handed over, so
 * that reading the next records overlaps with serializing and sending the previous ones. The queue
 * is short (a few chunks): a reader faster than the broker waits, and memory stays bounded.
 *
 * <p>A failure of the sending side is kept and thrown to the reader at its next hand-over; from then
 * on the items handed over are dropped. {@link #finish()} hands over the rest and waits until all of
 * it was processed.
 */
final class EventSender {

    private static final int CHUNK = 512;
    private static final int CHUNKS_QUEUED = 4;
    private static final Object[] END = new Object[0];

    private final BlockingQueue<Object[]> chunks = new ArrayBlockingQueue<>(CHUNKS_QUEUED);
    private final Consumer<Object> sink;
    private final Thread thread;
    private Object[] current = new Object[CHUNK];
    private int filled;
    private boolean started;
    private boolean finished;
    private volatile RuntimeException failure;

    /** {@code sink} runs on the sending thread (started at the first hand-over), once per item, in order. */
    EventSender(String threadName, Consumer<Object> sink) {
        this.sink = sink;
        this.thread = new Thread(this::loop, threadName);
        this.thread.setDaemon(true);
    }

    /** Reader side: queues one item; throws what made the sending side fail, if anything did. */
    void add(Object item) {
        RuntimeException failed = failure;
        if (failed != null) {
            throw failed;
        }
        current[filled++] = item;
        if (filled == CHUNK) {
            handOver(current);
            current = new Object[CHUNK];
            filled = 0;
        }
    }

    /**
     * Reader side: hands over what is left and waits until the sending thread processed every item;
     * throws what made it fail. Later calls do nothing.
     */
    void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (filled > 0) {
            handOver(Arrays.copyOf(current, filled));
            filled = 0;
        }
        handOver(END);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        RuntimeException failed = failure;
        if (failed != null) {
            throw failed;
        }
    }

    /** {@link #finish()}, keeping a sending failure for the caller to find elsewhere (the batch). */
    void finishQuietly() {
        try {
            finish();
        } catch (RuntimeException e) {
            // Already recorded where it matters: the batch remembers its first failed send.
        }
    }

    private void handOver(Object[] chunk) {
        if (!started) {
            started = true;
            thread.start();
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (chunks.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    // Finish the hand-over (the sender drains the queue), then restore the flag.
                    interrupted = true;
                }
                if (!thread.isAlive()) {
                    throw failure != null ? failure : new IllegalStateException("the event sender stopped");
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        while (true) {
            Object[] chunk;
            try {
                chunk = chunks.take();
            } catch (InterruptedException e) {
                // Nobody interrupts this thread but the JVM going down: stop.
                failure = new IllegalStateException("the event sender was interrupted");
                return;
            }
            if (chunk == END) {
                return;
            }
            if (failure != null) {
                continue;
            }
            try {
                for (Object item : chunk) {
                    sink.accept(item);
                }
            } catch (RuntimeException e) {
                failure = e;
            } catch (Error e) {
                failure = new IllegalStateException("the event sender failed: " + e, e);
                throw e;
            }
        }
    }
}
