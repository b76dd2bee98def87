package io.healthmesh.imports.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistinctEventCounterTest {

    @TempDir
    Path scratch;

    @Test
    void countsDistinctIdsInMemory() {
        assertThat(count(5_000, 10_000, 1)).isTrue();
    }

    @Test
    void countsDistinctIdsAcrossSpilledRuns() {
        assertThat(count(100_000, 4_096, 2)).isTrue();
    }

    @Test
    void idsSharingTheirHighHalfAndManyRepeatsAreCountedExactly() {
        assertThat(count(50_000, 1_000, 3)).isTrue();
    }

    private boolean count(int ids, int capacity, long seed) {
        Random random = new Random(seed);
        List<UUID> pool = new ArrayList<>();
        for (int i = 0; i < ids / 3; i++) {
            // A few high halves shared by many ids: the low half must decide.
            long most = seed == 3 ? random.nextInt(7) : random.nextLong();
            pool.add(new UUID(most, random.nextLong()));
        }
        Set<UUID> expected = new HashSet<>();
        try (DistinctEventCounter counter = new DistinctEventCounter(scratch, capacity)) {
            for (int i = 0; i < ids; i++) {
                UUID id = pool.get(random.nextInt(pool.size()));
                expected.add(id);
                counter.add(id);
            }
            return counter.distinct() == expected.size();
        }
    }
}
