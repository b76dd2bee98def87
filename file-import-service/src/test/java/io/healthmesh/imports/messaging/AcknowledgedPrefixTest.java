package io.healthmesh.imports.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AcknowledgedPrefixTest {

    @Test
    void inOrderAcknowledgementsAdvanceThePrefix() {
        AcknowledgedPrefix prefix = new AcknowledgedPrefix(0);
        for (long i = 0; i < 5; i++) {
            prefix.acknowledged(i);
        }
        assertThat(prefix.value()).isEqualTo(5);
    }

    @Test
    void aGapHoldsThePrefixUntilItIsFilled() {
        AcknowledgedPrefix prefix = new AcknowledgedPrefix(10);
        prefix.acknowledged(10);
        prefix.acknowledged(12);
        prefix.acknowledged(13);
        assertThat(prefix.value()).as("11 is not acknowledged yet").isEqualTo(11);
        prefix.acknowledged(11);
        assertThat(prefix.value()).isEqualTo(14);
    }

    @Test
    void acknowledgementsBeforeTheStartChangeNothing() {
        AcknowledgedPrefix prefix = new AcknowledgedPrefix(100);
        prefix.acknowledged(3);
        assertThat(prefix.value()).isEqualTo(100);
    }
}
