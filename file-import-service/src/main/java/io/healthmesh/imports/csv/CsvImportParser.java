package io.healthmesh.imports.csv;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.identity.Identity;
import io.healthmesh.contracts.vocab.Conversion;
import io.healthmesh.contracts.vocab.Metric;
import io.healthmesh.contracts.vocab.Units;
import io.healthmesh.contracts.vocab.Vocabulary;
import io.healthmesh.imports.csv.CsvRecordReader.CsvRecord;
import io.healthmesh.imports.csv.CsvRecordReader.RecordTooLargeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.Charset;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Streams a CSV file through a {@link CsvMapping} into readings, handing each to a {@link CsvRowHandler}
 * as soon as its row is read. Memory does not grow with the file, except for the counters that number
 * rows with equal identity.
 *
 * <h2>Rows</h2>
 * Blank rows (also rows of only delimiters) are ignored. A row with fewer cells than the header, or
 * with more that are not blank, is skipped ({@link CsvSkipReason#WRONG_COLUMN_COUNT}); so is a row
 * whose date (or non-blank time) does not parse. A blank value cell is "not tracked": no reading, no
 * skip. A value that is not a number, not finite or outside the metric's plausible range
 * ({@link Metric#isPlausible}) is skipped on its own; the row's other values still go.
 *
 * <h2>Readings</h2>
 * Values keep the file's unit ({@code Units}' canonical spelling of it: {@code µg} is sent as
 * {@code mcg}); the normalizer converts. Each reading carries the mapping's zone, its
 * {@code userEntered} (long format: false for a metric synced from a device, named in brackets), the
 * import job id and an explicit aggregation (the value's, else the metric's default), shaped as:
 * <table>
 *   <caption>Start, end and local date of a reading</caption>
 *   <tr><th>aggregation</th><th>row with a time</th><th>date-only row</th></tr>
 *   <tr><td>daily</td><td colspan="2">the local date's midnight to the next in the zone; localDate set</td></tr>
 *   <tr><td>cumulative</td><td>start = the time, end = start + duration (or the end column), else
 *       start</td><td>the whole local date, localDate set, so that a day's meals sum</td></tr>
 *   <tr><td>sample</td><td>as cumulative</td><td>at the local date's midnight, no localDate</td></tr>
 * </table>
 * An offset parsed from the date or time cell wins over the zone for the instant.
 *
 * <h2>Identity</h2>
 * {@code sourceRecordId} = {@link Identity#csvSourceRecordId}(preset, the date cell as written, the time
 * cell as written or null, the label cells (without one layer of literal quotes), ordinal, the value's
 * header text), where ordinal counts the earlier rows of the file with equal date, time and labels. In
 * long format the column is the metric cell as written, and the ordinal also keys on it, so a metric
 * added to a re-export does not renumber the others. Re-importing a file yields identical ids.
 *
 * <p>Not thread-safe; one parse at a time per instance.
 */
public final class CsvImportParser {

    private static final Duration MAX_DURATION = Duration.ofDays(31);

    private final String importJobId;

    private CsvRowHandler handler;
    private Plan plan;
    private CsvDialect dialect;
    private final Map<String, Integer> ordinals = new HashMap<>();
    private final Map<String, long[]> skipped = new HashMap<>();
    private long rowsRead;
    private long readings;

    /** @param importJobId carried by every reading */
    public CsvImportParser(String importJobId) {
        this.importJobId = importJobId;
    }

    /**
     * Reads the whole file (raw bytes: BOM and encoding per the dialect), calling the handler as it
     * goes, and closes nothing.
     *
     * @throws MalformedCsvException the rest of the file cannot be read (a row beyond {@link CsvLimits}, a
     *     quote never closed, no header) or the mapping does not fit the header; what was emitted stays
     *     emitted and {@link #progress()} counts it
     */
    public CsvParseSummary parse(InputStream raw, CsvDialect dialect, CsvMapping mapping, CsvRowHandler handler)
            throws IOException, MalformedCsvException {
        start(dialect, handler);
        CsvRecordReader records = new CsvRecordReader(open(raw, dialect), dialect.delimiter(), dialect.quote());
        try {
            CsvRecord header = records.next();
            while (header != null && header.isBlank() && !header.unterminatedQuote()) {
                header = records.next();
            }
            if (header == null) {
                throw new MalformedCsvException("The file has no header row.", 0);
            }
            if (header.unterminatedQuote()) {
                throw unterminated(header);
            }
            List<String> names = header.cells().stream().map(String::trim).toList();
            List<String> problems = CsvMappingValidator.problems(mapping, names);
            if (!problems.isEmpty()) {
                throw new MalformedCsvException("The mapping does not fit this file's header (line "
                        + header.line() + "): " + String.join("; ", problems), header.line());
            }
            plan = Plan.compile(mapping, names);
            CsvRecord record;
            while ((record = records.next()) != null) {
                if (record.unterminatedQuote()) {
                    throw unterminated(record);
                }
                if (!record.isBlank()) {
                    row(record);
                }
            }
        } catch (RecordTooLargeException e) {
            String what = e.tooManyColumns() ? "has more than " + CsvLimits.MAX_COLUMNS + " columns"
                    : "is longer than " + CsvLimits.MAX_RECORD_CHARS / 1024 + " KiB";
            throw malformed("The row starting on line " + e.line() + " " + what, e.line());
        }
        return progress();
    }

    /** The counts so far; from the parsing thread (e.g. inside a handler callback) or after a parse. */
    public CsvParseSummary progress() {
        Map<String, Long> counts = new HashMap<>();
        skipped.forEach((reason, count) -> counts.put(reason, count[0]));
        return new CsvParseSummary(rowsRead, readings, counts);
    }

    private void start(CsvDialect dialect, CsvRowHandler handler) throws MalformedCsvException {
        if (dialect == null || handler == null) {
            throw new MalformedCsvException("No dialect or handler given.", 0);
        }
        char d = dialect.delimiter();
        if (d == dialect.quote() || d == '\n' || d == '\r' || dialect.quote() == '\n' || dialect.quote() == '\r'
                || (dialect.decimalSeparator() != '.' && dialect.decimalSeparator() != ',')) {
            throw new MalformedCsvException("The stored dialect is inconsistent.", 0);
        }
        this.dialect = dialect;
        this.handler = handler;
        this.plan = null;
        ordinals.clear();
        skipped.clear();
        rowsRead = 0;
        readings = 0;
    }

    private static Reader open(InputStream raw, CsvDialect dialect) throws IOException, MalformedCsvException {
        try {
            if (dialect.encoding() == null || !Charset.isSupported(dialect.encoding())) {
                throw new MalformedCsvException("Unsupported encoding '" + CsvCells.safe(dialect.encoding())
                        + "'.", 0);
            }
            return CsvRecordReader.open(raw, dialect);
        } catch (IllegalArgumentException e) {
            throw new MalformedCsvException("Unsupported encoding '" + CsvCells.safe(dialect.encoding()) + "'.", 0);
        }
    }

    private MalformedCsvException unterminated(CsvRecord record) {
        return malformed("A quote opened in the row starting on line " + record.line()
                + " is never closed, so the rest of the file cannot be read", record.line());
    }

    private MalformedCsvException malformed(String problem, long line) {
        return new MalformedCsvException(problem + ". The " + rowsRead + " rows before it were read (readings: "
                + readings + ").", line);
    }

    // ---------------------------------------------------------------------------------------------
    // One row

    /** Where a row lies in time. */
    private record RowTime(LocalDate date, String dateText, String timeText, OffsetDateTime pointStart,
            OffsetDateTime pointEnd, OffsetDateTime dayStart, OffsetDateTime dayEnd) {
    }

    private void row(CsvRecord record) {
        long line = record.line();
        rowsRead++;
        List<String> cells = record.cells();
        if (!widthFits(cells)) {
            skip(CsvSkipReason.WRONG_COLUMN_COUNT, line, "the row has " + cells.size() + " cells, the header "
                    + plan.width + " columns");
            return;
        }
        RowTime time = rowTime(record);
        if (time == null) {
            return;
        }
        List<String> labels = new ArrayList<>(plan.labelIndexes.length);
        for (int index : plan.labelIndexes) {
            labels.add(CsvColumns.stripOneQuoteLayer(record.cell(index).trim()));
        }
        if (!plan.values.isEmpty()) {
            int ordinal = ordinal(time, labels, null);
            for (ValuePlan value : plan.values) {
                wideValue(record, time, labels, ordinal, value);
            }
        }
        if (plan.longFormat != null) {
            longValue(record, time, labels);
        }
    }

    private boolean widthFits(List<String> cells) {
        if (cells.size() < plan.width) {
            return false;
        }
        for (int i = plan.width; i < cells.size(); i++) {
            if (!cells.get(i).isBlank()) {
                return false;
            }
        }
        return true;
    }

    /** The row's times, or null after reporting why it has none. */
    private RowTime rowTime(CsvRecord record) {
        long line = record.line();
        String dateText = record.cell(plan.dateIndex).trim();
        if (dateText.isEmpty()) {
            skip(CsvSkipReason.MISSING_DATE, line, plan.dateColumn + ": blank");
            return null;
        }
        CsvFormats.Parsed parsedDate = CsvFormats.parse(plan.dateFormat, dateText);
        if (parsedDate == null || parsedDate.date() == null) {
            skip(CsvSkipReason.BAD_DATE, line, plan.dateColumn + ": '" + CsvCells.safe(dateText)
                    + "' does not match " + CsvCells.safe(plan.datePattern));
            return null;
        }
        LocalDate date = parsedDate.date();
        if (date.getYear() < CsvFormats.MIN_YEAR || date.getYear() > CsvFormats.MAX_YEAR) {
            skip(CsvSkipReason.BAD_DATE, line, plan.dateColumn + ": '" + CsvCells.safe(dateText) + "' is not between "
                    + CsvFormats.MIN_YEAR + " and " + CsvFormats.MAX_YEAR);
            return null;
        }
        LocalTime time = parsedDate.time();
        ZoneOffset offset = parsedDate.offset();
        String timeText = null;
        if (plan.timeIndex >= 0) {
            String text = record.cell(plan.timeIndex).trim();
            if (!text.isEmpty()) {
                CsvFormats.Parsed parsedTime = CsvFormats.parse(plan.timeFormat, text);
                if (parsedTime == null || parsedTime.time() == null) {
                    skip(CsvSkipReason.BAD_TIME, line, plan.timeColumn + ": '" + CsvCells.safe(text)
                            + "' does not match " + CsvCells.safe(plan.timePattern));
                    return null;
                }
                time = parsedTime.time();
                if (parsedTime.offset() != null) {
                    offset = parsedTime.offset();
                }
                timeText = text;
            }
        }
        OffsetDateTime dayStart = date.atStartOfDay(plan.zone).toOffsetDateTime();
        OffsetDateTime dayEnd = date.plusDays(1).atStartOfDay(plan.zone).toOffsetDateTime();
        OffsetDateTime pointStart = null;
        OffsetDateTime pointEnd = null;
        if (time != null) {
            pointStart = at(date, time, offset);
            pointEnd = pointEnd(record, date, pointStart);
            if (pointEnd == null) {
                return null;
            }
        }
        return new RowTime(date, dateText, timeText, pointStart, pointEnd, dayStart, dayEnd);
    }

    private OffsetDateTime at(LocalDate date, LocalTime time, ZoneOffset offset) {
        if (offset != null) {
            return OffsetDateTime.of(date, time, offset);
        }
        return ZonedDateTime.of(date, time, plan.zone).toOffsetDateTime();
    }

    /** The end of a row with a time: from the end or duration column, else its start; null after a skip. */
    private OffsetDateTime pointEnd(CsvRecord record, LocalDate date, OffsetDateTime start) {
        long line = record.line();
        if (plan.endIndex >= 0) {
            String text = record.cell(plan.endIndex).trim();
            if (text.isEmpty()) {
                return start;
            }
            CsvFormats.Parsed parsed = CsvFormats.parse(plan.endFormat, text);
            if (parsed == null || parsed.time() == null) {
                skip(CsvSkipReason.BAD_END, line, plan.endColumn + ": '" + CsvCells.safe(text) + "' does not match "
                        + CsvCells.safe(plan.endPattern));
                return null;
            }
            LocalDate endDate = parsed.date() != null ? parsed.date() : date;
            OffsetDateTime end = parsed.offset() != null ? OffsetDateTime.of(endDate, parsed.time(), parsed.offset())
                    : ZonedDateTime.of(endDate, parsed.time(), plan.zone).toOffsetDateTime();
            if (parsed.date() == null && end.isBefore(start)) {
                // A bare end time before the start time is on the next day (a session across midnight).
                end = ZonedDateTime.of(endDate.plusDays(1), parsed.time(), plan.zone).toOffsetDateTime();
            }
            if (end.isBefore(start) || Duration.between(start, end).compareTo(MAX_DURATION) > 0) {
                skip(CsvSkipReason.BAD_END, line, plan.endColumn + ": '" + CsvCells.safe(text)
                        + "' is before the start or more than 31 days after it");
                return null;
            }
            return end;
        }
        if (plan.durationIndex >= 0) {
            String text = record.cell(plan.durationIndex).trim();
            if (text.isEmpty()) {
                return start;
            }
            CsvNumbers.Parsed parsed = CsvNumbers.parse(text, dialect);
            double seconds = parsed.kind() == CsvNumbers.Kind.NUMBER
                    ? Units.convert(parsed.value(), plan.durationUnit, Units.SECOND) : Double.NaN;
            if (!(seconds >= 0 && seconds <= MAX_DURATION.toSeconds())) {
                skip(CsvSkipReason.BAD_DURATION, line, plan.durationColumn + ": '" + CsvCells.safe(text)
                        + "' is not a duration in " + plan.durationUnit + " between 0 and 31 days");
                return null;
            }
            return start.plus(Duration.ofMillis(Math.round(seconds * 1000)));
        }
        return start;
    }

    private int ordinal(RowTime time, List<String> labels, String metricCell) {
        String key = Identity.csvSourceRecordId("", time.dateText(), time.timeText(), labels, 0,
                metricCell == null ? "" : metricCell);
        if (metricCell == null) {
            // Keep the wide and long keys apart (a long key always ends in a metric name).
            key = key + "|w";
        }
        Integer previous = ordinals.get(key);
        int ordinal = previous == null ? 0 : previous + 1;
        ordinals.put(key, ordinal);
        return ordinal;
    }

    private void wideValue(CsvRecord record, RowTime time, List<String> labels, int ordinal, ValuePlan value) {
        String text = record.cell(value.index).trim();
        if (text.isEmpty()) {
            return;
        }
        Double number = number(text, value.column, value.metric, value.unit, value.absolute, record.line());
        if (number == null) {
            return;
        }
        String id = Identity.csvSourceRecordId(plan.preset, time.dateText(), time.timeText(), labels, ordinal,
                value.header);
        emit(time, value.metric, value.unit, value.aggregation, number, id, null, plan.userEntered);
    }

    private void longValue(CsvRecord record, RowTime time, List<String> labels) {
        LongPlan format = plan.longFormat;
        long line = record.line();
        String metricCell = record.cell(format.metricIndex).trim();
        if (metricCell.isEmpty()) {
            skip(CsvSkipReason.MISSING_VALUE, line, format.metricColumn + ": blank");
            return;
        }
        String device = null;
        String key = CsvColumns.normalize(metricCell);
        if (!format.metrics.containsKey(key)) {
            String bracket = CsvColumns.bracketUnit(metricCell);
            String base = CsvColumns.normalize(CsvColumns.withoutBracket(metricCell));
            if (bracket != null && !base.isEmpty() && format.metrics.containsKey(base)) {
                key = base;
                device = bracket;
            } else {
                skip(CsvSkipReason.UNMAPPED_METRIC, line, format.metricColumn + ": '" + CsvCells.safe(metricCell)
                        + "' is not in the mapping's metrics");
                return;
            }
        }
        Metric metric = format.metrics.get(key);
        if (metric == null) {
            skip(CsvSkipReason.IGNORED_METRIC, line, format.metricColumn + ": '" + CsvCells.safe(metricCell)
                    + "' is mapped to nothing (not imported)");
            return;
        }
        String amount = record.cell(format.valueIndex).trim();
        if (amount.isEmpty()) {
            skip(CsvSkipReason.MISSING_VALUE, line, format.valueColumn + ": blank for '"
                    + CsvCells.safe(metricCell) + "'");
            return;
        }
        String unitText = record.cell(format.unitIndex).trim();
        String unit = Units.canonicalUnitCode(unitText).orElse(null);
        if (unit == null || !Units.convertible(unit, metric.canonicalUnit())) {
            String why = unitText.isEmpty() ? "blank" : unit == null ? "'" + CsvCells.safe(unitText) + "' is unknown"
                    : "'" + CsvCells.safe(unitText) + "' does not fit " + metric.code() + " (canonical unit "
                            + metric.canonicalUnit() + ")";
            skip(CsvSkipReason.BAD_UNIT, line, format.unitColumn + ": " + why + " for '" + CsvCells.safe(metricCell)
                    + "'");
            return;
        }
        Double number = number(amount, format.valueColumn, metric, unit, false, line);
        if (number == null) {
            return;
        }
        int ordinal = ordinal(time, labels, metricCell);
        String id = Identity.csvSourceRecordId(plan.preset, time.dateText(), time.timeText(), labels, ordinal,
                metricCell);
        Boolean userEntered = device != null ? Boolean.FALSE : plan.userEntered;
        emit(time, metric, unit, metric.defaultAggregation(), number, id, device, userEntered);
    }

    /** The cell's value, or null after reporting why it is unusable. */
    private Double number(String text, String column, Metric metric, String unit, boolean absolute, long line) {
        CsvNumbers.Parsed parsed = CsvNumbers.parse(text, dialect);
        if (parsed.kind() == CsvNumbers.Kind.NOT_A_NUMBER) {
            skip(CsvSkipReason.BAD_NUMBER, line, column + ": '" + CsvCells.safe(text) + "' is not a number"
                    + (dialect.decimalSeparator() == ',' ? " (decimal comma expected)" : ""));
            return null;
        }
        if (parsed.kind() == CsvNumbers.Kind.NOT_FINITE) {
            skip(CsvSkipReason.IMPOSSIBLE_VALUE, line, column + ": '" + CsvCells.safe(text) + "' is not finite");
            return null;
        }
        double value = absolute ? Math.abs(parsed.value()) : parsed.value();
        double canonical = Conversion.toCanonical(metric, value, unit);
        if (!Double.isFinite(canonical) || !metric.isPlausible(canonical)) {
            skip(CsvSkipReason.IMPOSSIBLE_VALUE, line, column + ": " + format(value) + " " + unit + " is outside "
                    + format(metric.minPlausible()) + "-" + format(metric.maxPlausible()) + " "
                    + metric.canonicalUnit() + " for " + metric.code());
            return null;
        }
        // -0.0 would survive as "-0.0" in JSON.
        return value == 0 ? 0.0 : value;
    }

    private void emit(RowTime time, Metric metric, String unit, Aggregation aggregation, double value, String id,
            String device, Boolean userEntered) {
        Reading.Builder reading = Reading.builder()
                .sourceRecordId(id)
                .metric(metric.code())
                .value(value)
                .unit(unit)
                .aggregation(aggregation)
                .zone(plan.zoneId)
                .device(device)
                .userEntered(userEntered)
                .importJobId(importJobId);
        switch (aggregation) {
            case DAILY -> reading.start(time.dayStart()).end(time.dayEnd()).localDate(time.date());
            case CUMULATIVE -> {
                if (time.pointStart() != null) {
                    reading.start(time.pointStart()).end(time.pointEnd());
                } else {
                    reading.start(time.dayStart()).end(time.dayEnd()).localDate(time.date());
                }
            }
            case SAMPLE -> {
                if (time.pointStart() != null) {
                    reading.start(time.pointStart()).end(time.pointEnd());
                } else {
                    reading.at(time.dayStart());
                }
            }
        }
        readings++;
        handler.reading(reading.build());
    }

    private void skip(String reason, long line, String detail) {
        skipped.computeIfAbsent(reason, r -> new long[1])[0]++;
        handler.skipped(reason, line, detail);
    }

    private static String format(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return new BigDecimal(value).round(new MathContext(7)).stripTrailingZeros().toPlainString();
    }

    // ---------------------------------------------------------------------------------------------
    // The mapping, resolved against the header once

    private record ValuePlan(int index, String column, String header, Metric metric, String unit,
            Aggregation aggregation, boolean absolute) {
    }

    private record LongPlan(int metricIndex, String metricColumn, int unitIndex, String unitColumn, int valueIndex,
            String valueColumn, Map<String, Metric> metrics) {
    }

    private record Plan(String preset, int width, String zoneId, ZoneId zone, Boolean userEntered,
            int dateIndex, String dateColumn, String datePattern, DateTimeFormatter dateFormat,
            int timeIndex, String timeColumn, String timePattern, DateTimeFormatter timeFormat,
            int endIndex, String endColumn, String endPattern, DateTimeFormatter endFormat,
            int durationIndex, String durationColumn, String durationUnit,
            int[] labelIndexes, List<ValuePlan> values, LongPlan longFormat) {

        /** The mapping against the header; it has passed {@link CsvMappingValidator}. */
        static Plan compile(CsvMapping mapping, List<String> header) {
            int width = header.size();
            while (width > 0 && header.get(width - 1).isEmpty()) {
                width--;
            }
            int dateIndex = CsvColumns.resolve(header, mapping.date().column());
            int timeIndex = -1;
            String timePattern = null;
            DateTimeFormatter timeFormat = null;
            if (mapping.time() != null) {
                timeIndex = CsvColumns.resolve(header, mapping.time().column());
                timePattern = mapping.time().format();
                timeFormat = CsvFormats.formatter(timePattern);
            }
            int endIndex = -1;
            DateTimeFormatter endFormat = null;
            if (mapping.end() != null) {
                endIndex = CsvColumns.resolve(header, mapping.end().column());
                endFormat = CsvFormats.formatter(mapping.end().format());
            }
            int durationIndex = -1;
            String durationUnit = null;
            if (mapping.duration() != null) {
                durationIndex = CsvColumns.resolve(header, mapping.duration().column());
                durationUnit = Units.canonicalUnitCode(mapping.duration().unit()).orElseThrow();
            }
            List<String> labelColumns = mapping.labels() == null ? List.of() : mapping.labels();
            int[] labelIndexes = labelColumns.stream().mapToInt(label -> CsvColumns.resolve(header, label)).toArray();
            List<ValuePlan> values = new ArrayList<>();
            if (mapping.values() != null) {
                for (CsvMapping.ValueColumn value : mapping.values()) {
                    int index = CsvColumns.resolve(header, value.column());
                    Metric metric = Vocabulary.metric(value.metric()).orElseThrow();
                    String unit = Units.canonicalUnitCode(CsvMappingValidator.effectiveUnit(value, header.get(index)))
                            .orElseThrow();
                    Aggregation aggregation = value.aggregation() == null ? metric.defaultAggregation()
                            : Aggregation.valueOf(value.aggregation().toUpperCase(Locale.ROOT));
                    values.add(new ValuePlan(index, CsvCells.safe(header.get(index)), header.get(index), metric, unit,
                            aggregation, Boolean.TRUE.equals(value.absolute())));
                }
            }
            LongPlan longPlan = null;
            if (mapping.longFormat() != null) {
                CsvMapping.LongFormat format = mapping.longFormat();
                Map<String, Metric> metrics = new HashMap<>();
                format.metrics().forEach((name, code) -> metrics.put(CsvColumns.normalize(name),
                        code == null ? null : Vocabulary.metric(code).orElseThrow()));
                int metricIndex = CsvColumns.resolve(header, format.metricColumn());
                int unitIndex = CsvColumns.resolve(header, format.unitColumn());
                int valueIndex = CsvColumns.resolve(header, format.valueColumn());
                longPlan = new LongPlan(metricIndex, CsvCells.safe(header.get(metricIndex)), unitIndex,
                        CsvCells.safe(header.get(unitIndex)), valueIndex, CsvCells.safe(header.get(valueIndex)),
                        metrics);
            }
            return new Plan(mapping.preset(), width, mapping.zone(), ZoneId.of(mapping.zone()), mapping.userEntered(),
                    dateIndex, CsvCells.safe(header.get(dateIndex)), mapping.date().format(),
                    CsvFormats.formatter(mapping.date().format()),
                    timeIndex, timeIndex < 0 ? null : CsvCells.safe(header.get(timeIndex)), timePattern, timeFormat,
                    endIndex, endIndex < 0 ? null : CsvCells.safe(header.get(endIndex)),
                    mapping.end() == null ? null : mapping.end().format(), endFormat,
                    durationIndex, durationIndex < 0 ? null : CsvCells.safe(header.get(durationIndex)), durationUnit,
                    labelIndexes, List.copyOf(values), longPlan);
        }
    }
}
