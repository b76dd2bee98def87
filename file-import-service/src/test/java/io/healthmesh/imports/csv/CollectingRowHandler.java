package io.healthmesh.imports.csv;

import io.healthmesh.contracts.event.Reading;
import java.util.ArrayList;
import java.util.List;

/** Keeps everything a parse emits, in order. */
class CollectingRowHandler implements CsvRowHandler {

    record Skip(String reason, long row, String detail) {
    }

    final List<Reading> readings = new ArrayList<>();
    final List<Skip> skips = new ArrayList<>();

    @Override
    public void reading(Reading reading) {
        readings.add(reading);
    }

    @Override
    public void skipped(String reason, long rowNumber, String detail) {
        skips.add(new Skip(reason, rowNumber, detail));
    }

    List<Reading> readings(String metric) {
        return readings.stream().filter(reading -> metric.equals(reading.metric())).toList();
    }

    Reading reading(String sourceRecordId) {
        return readings.stream().filter(reading -> sourceRecordId.equals(reading.sourceRecordId())).findFirst()
                .orElseThrow(() -> new AssertionError("no reading " + sourceRecordId + " in " + ids()));
    }

    List<String> ids() {
        return readings.stream().map(Reading::sourceRecordId).toList();
    }
}
