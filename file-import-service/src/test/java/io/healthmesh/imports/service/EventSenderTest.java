package io.healthmesh.imports.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventSenderTest {

    @Test
    void everyItemIsProcessedInOrderByTheTimeFinishReturns() {
        List<Object> seen = new ArrayList<>();
        EventSender sender = new EventSender("test-send", seen::add);
        for (int i = 0; i < 10_007; i++) {
            sender.add(i);
        }
        sender.finish();
        assertThat(seen).hasSize(10_007);
        for (int i = 0; i < seen.size(); i++) {
            assertThat(seen.get(i)).isEqualTo(i);
        }
        sender.finish();
    }

    @Test
    void aSendingFailureReachesTheReaderAndLaterItemsAreDropped() {
        List<Object> seen = new ArrayList<>();
        IllegalStateException broken = new IllegalStateException("broker away");
        EventSender sender = new EventSender("test-send", item -> {
            if ((Integer) item == 700) {
                throw broken;
            }
            seen.add(item);
        });
        assertThatThrownBy(() -> {
            for (int i = 0; i < 1_000_000; i++) {
                sender.add(i);
            }
        }).isSameAs(broken);
        assertThatThrownBy(sender::finish).isSameAs(broken);
        assertThat(seen).hasSize(700);
    }

    @Test
    void finishingQuietlyKeepsTheFailureToItself() {
        EventSender sender = new EventSender("test-send", item -> {
            throw new IllegalStateException("no");
        });
        sender.add(1);
        sender.finishQuietly();
    }

    @Test
    void aSenderNothingWasHandedToFinishesAtOnce() {
        new EventSender("test-send", item -> { }).finish();
    }
}
