package io.healthmesh.imports.apple;

import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Keeps everything a parse emits, in order. */
class CollectingHandler implements AppleExportHandler {

    final List<Reading> readings = new ArrayList<>();
    final List<Session> sessions = new ArrayList<>();
    final Map<String, Long> skipped = new TreeMap<>();

    @Override
    public void reading(Reading reading) {
        readings.add(reading);
    }

    @Override
    public void session(Session session) {
        sessions.add(session);
    }

    @Override
    public void skipped(String reason) {
        skipped.merge(reason, 1L, Long::sum);
    }

    List<Reading> readings(String metric) {
        return readings.stream().filter(reading -> metric.equals(reading.metric())).toList();
    }
}
