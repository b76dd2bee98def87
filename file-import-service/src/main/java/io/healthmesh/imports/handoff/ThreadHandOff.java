package io.healthmesh.imports.handoff;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The waits of a producer thread handing items to one consumer through bounded queues (the
 * export scan, the read-ahead of a zip). Neither side is interruptible: a stop flag ends the
 * producer, and an interrupt of the consumer is kept for its caller to see afterwards. Each wait
 * polls in short steps, so a stop or a producer that died is seen within them.
 */
public final class ThreadHandOff {

    private static final long WAIT_MILLIS = 50;

    private ThreadHandOff() {
    }

    /** Consumer: the next item, waiting for it; null once the producer has ended and left none. */
    public static <T> T next(BlockingQueue<T> queue, Thread producer) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    T item = queue.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
                    if (item != null) {
                        return item;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                if (!producer.isAlive() && queue.isEmpty()) {
                    return null;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Producer: hands {@code item} over, waiting for room; false once stopped (not handed over). */
    public static <T> boolean put(BlockingQueue<T> queue, T item, BooleanSupplier stopped) {
        while (!stopped.getAsBoolean()) {
            try {
                if (queue.offer(item, WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            } catch (InterruptedException e) {
                // Nobody interrupts a producer; the stop flag is what ends it.
            }
        }
        return false;
    }

    /** Producer: an item given back by the consumer, waiting for one; null once stopped. */
    public static <T> T take(BlockingQueue<T> queue, BooleanSupplier stopped) {
        while (!stopped.getAsBoolean()) {
            try {
                T item = queue.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
                if (item != null) {
                    return item;
                }
            } catch (InterruptedException e) {
                // As in put.
            }
        }
        return null;
    }

    /**
     * Consumer, once its stop flag is set: waits until the producer has ended, emptying
     * {@code handedOver} meanwhile so a hand-over in progress can finish and see the flag.
     */
    public static void awaitEnd(Thread producer, BlockingQueue<?> handedOver) {
        boolean interrupted = false;
        while (producer.isAlive()) {
            handedOver.clear();
            try {
                producer.join(WAIT_MILLIS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
