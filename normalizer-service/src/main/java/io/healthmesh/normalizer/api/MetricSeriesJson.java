package io.healthmesh.normalizer.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import io.healthmesh.normalizer.domain.StoredMetric;
import io.healthmesh.normalizer.service.MetricBuckets;
import io.healthmesh.normalizer.service.ResolvedBuckets;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Writes a {@link MetricSeries} as JSON: the bytes the service's ObjectMapper writes for the
 * records (same names, order, nulls, number forms, string escaping; MetricSeriesJsonTest compares
 * them), without data binding, {@link DateTimeFormatter} or a generator's per-character work for
 * every timestamp: a large raw read spent most of its JSON time there.
 *
 * <p>The bytes are written directly: timestamps and numbers formatted by hand or by
 * {@link Double#toString} (what Jackson's generator uses), text values (sources, devices) quoted
 * by the mapper's own generator once per distinct value. If the mapper is configured
 * away from Jackson's defaults for any of that (numbers as strings, the fast double writer, NaN
 * unquoted, escaped non-ASCII, custom escapes, pretty printing), the series is written through
 * the mapper's generator instead, field by field.
 */
@Singleton
public final class MetricSeriesJson {

    private static final byte[] NULL = ascii("null");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");
    private static final byte[] START = ascii("{\"start\":");
    private static final byte[] END = ascii(",\"end\":");
    private static final byte[] VALUE = ascii(",\"value\":");
    private static final byte[] MIN = ascii(",\"min\":");
    private static final byte[] MAX = ascii(",\"max\":");
    private static final byte[] COUNT = ascii(",\"count\":");
    private static final byte[] SOURCE = ascii(",\"source\":");
    private static final byte[] DEVICES = ascii(",\"devices\":");
    private static final byte[] RANK = ascii(",\"rank\":");
    private static final byte[] FALLBACK = ascii(",\"fallback\":");
    private static final byte[] QUALITY = ascii(",\"quality\":");
    /** A raw point's fields between value and source, and between devices and quality. */
    private static final byte[] RAW_MIDDLE = ascii(",\"min\":null,\"max\":null,\"count\":1,\"source\":");
    private static final byte[] RAW_TAIL = ascii(",\"rank\":null,\"fallback\":null,\"quality\":");
    private static final byte[] NO_DEVICES = ascii("[]");
    private static final int RECENT = 4;
    /** {@code yyyy-MM-dd}: years outside 0000-9999 are written by the formatter instead. */
    private static final int DATE_LENGTH = 10;

    private final ObjectWriter writer;
    private final boolean defaults;

    /** The service's: the body writer and the read resource share it (a rendering belongs to its writer). */
    @Inject
    public MetricSeriesJson(ObjectMapper mapper) {
        this(mapper.writer());
    }

    public MetricSeriesJson(ObjectWriter writer) {
        this.writer = writer;
        this.defaults = jacksonDefaults(writer);
    }

    /** Whether the writer's generator writes what this class writes by hand. */
    private static boolean jacksonDefaults(ObjectWriter writer) {
        try (JsonGenerator generator = writer.createGenerator(OutputStream.nullOutputStream())) {
            return !generator.isEnabled(JsonGenerator.Feature.WRITE_NUMBERS_AS_STRINGS)
                    && !generator.isEnabled(JsonGenerator.Feature.USE_FAST_DOUBLE_WRITER)
                    && generator.isEnabled(JsonGenerator.Feature.QUOTE_NON_NUMERIC_NUMBERS)
                    && !generator.isEnabled(JsonGenerator.Feature.ESCAPE_NON_ASCII)
                    && generator.isEnabled(JsonGenerator.Feature.QUOTE_FIELD_NAMES)
                    && generator.getCharacterEscapes() == null
                    && generator.getHighestEscapedChar() == 0
                    && generator.getPrettyPrinter() == null
                    && !writer.getConfig().isEnabled(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
        } catch (IOException e) {
            return false;
        }
    }

    /** True when series are written byte by byte here, false when through the generator. */
    boolean direct() {
        return defaults;
    }

    public byte[] toBytes(MetricSeries series) {
        if (!defaults) {
            return throughGenerator(series, writer);
        }
        Out out = new Out(series, null);
        out.write();
        return java.util.Arrays.copyOf(out.buffer, out.length);
    }

    /** Receives the JSON in pieces (the bytes are only valid during the call). */
    public interface Sink {
        void write(byte[] bytes, int offset, int length);
    }

    /** Chunks of this size go to a sink: one scratch buffer per thread, no array per response. */
    private static final int CHUNK = 64 * 1024;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[CHUNK]);

    /** The series into {@code sink}, in chunks of at most 64 KB. */
    public void write(MetricSeries series, Sink sink) {
        if (!defaults) {
            byte[] bytes = throughGenerator(series, writer);
            sink.write(bytes, 0, bytes.length);
            return;
        }
        Out out = new Out(series, sink);
        RawRendering rendered = renderedPoints(series);
        if (rendered != null) {
            out.write(rendered);
            out.flush();
            rendered.recycle();
        } else {
            out.write();
            out.flush();
        }
    }

    /**
     * Chunks of finished renderings, for the next ones: a one-day read renders about 14, and
     * zeroing fresh ones showed in its profile. Bounded, so at most 4 MB wait here.
     */
    private static final ArrayBlockingQueue<byte[]> SPARE_CHUNKS = new ArrayBlockingQueue<>(64);

    private static byte[] spareChunk() {
        byte[] chunk = SPARE_CHUNKS.poll();
        return chunk != null ? chunk : new byte[CHUNK];
    }

    /** The series' points as rendered while they came, if they were, by this writer and all of them. */
    private RawRendering renderedPoints(MetricSeries series) {
        if (series.points() instanceof MetricBuckets.RawPoints raw && raw.listener() instanceof RawRendering rendering
                && rendering.owner() == this && rendering.points == raw.size()) {
            return rendering;
        }
        return null;
    }

    /**
     * A listener for {@link MetricBuckets#rawFold(io.healthmesh.normalizer.domain.TimeWindow,
     * MetricBuckets.RawPointListener)} that renders each raw point as its row arrives, so a raw
     * all-view read's JSON is written while the database is still sending rows; {@link #write}
     * then only adds the header. Null when this writer goes through the mapper's generator.
     */
    public MetricBuckets.RawPointListener rawRendering() {
        return defaults ? new RawRendering() : null;
    }

    /** The points' JSON (the array's inside), written as they come. */
    final class RawRendering implements MetricBuckets.RawPointListener {
        private final List<byte[]> chunks = new java.util.ArrayList<>();
        private final List<Integer> chunkLengths = new java.util.ArrayList<>();
        private final Out out = new Out(chunks, chunkLengths);
        private int points;

        @Override
        public void point(StoredMetric row) {
            if (points++ > 0) {
                out.room(1);
                out.buffer[out.length++] = ',';
            }
            out.rawPoint(row);
        }

        MetricSeriesJson owner() {
            return MetricSeriesJson.this;
        }

        /** Once written (sinks copy what they are given): the chunks go back for other renderings. */
        void recycle() {
            points = -1;
            chunks.add(out.buffer);
            out.buffer = null;
            for (byte[] chunk : chunks) {
                if (chunk.length == CHUNK) {
                    SPARE_CHUNKS.offer(chunk);
                }
            }
            chunks.clear();
            chunkLengths.clear();
        }
    }

    /** The size to expect, for a first buffer. */
    static int estimate(MetricSeries series) {
        int points = series.points() == null ? 0 : series.points().size();
        return (int) Math.min(256 + 230L * points, Integer.MAX_VALUE - 16);
    }

    /** Through the mapper's generator, field by field (the fallback, and the other path the tests compare). */
    static byte[] throughGenerator(MetricSeries series, ObjectWriter writer) {
        int estimate = series.points() == null ? 256 : 256 + 220 * series.points().size();
        try (ByteArrayBuilder bytes = new ByteArrayBuilder(Math.min(estimate, 1 << 24))) {
            try (JsonGenerator generator = writer.createGenerator(bytes)) {
                write(series, generator);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One series into a byte array: growing, or handed to a sink whenever it is full. */
    private final class Out {
        private byte[] buffer;
        private int length;
        private final MetricSeries series;
        private final Sink sink;
        /** Whether the sink keeps each full buffer (a rendering's chunks) instead of copying from it. */
        private boolean ownsChunks;
        private final Map<String, byte[]> quoted = new HashMap<>();
        private final Map<List<String>, byte[]> deviceLists = new HashMap<>();
        /** The last few sources and devices written, compared before hashing (points alternate between few). */
        private final String[] recentSource = new String[RECENT];
        private final byte[][] recentSourceBytes = new byte[RECENT][];
        private int nextSource;
        private final String[] recentDevice = new String[RECENT];
        private final byte[][] recentDeviceBytes = new byte[RECENT][];
        private int nextDevice;
        /** The local day of the last timestamp written and its {@code yyyy-MM-dd}. */
        private long lastLocalDay = Long.MIN_VALUE;
        private final byte[] lastDate = new byte[DATE_LENGTH];
        /** The last device list written (a null one is written as null). */
        private List<String> lastDevices;
        private byte[] lastDevicesBytes = NULL;

        Out(MetricSeries series, Sink sink) {
            this.series = series;
            this.sink = sink;
            this.buffer = sink == null ? new byte[estimate(series)] : SCRATCH.get();
        }

        /**
         * Points only, into buffers of its own (a {@link RawRendering}'s): a full one is kept as
         * it is and the next bytes go to a new one, so nothing is copied to grow.
         */
        Out(List<byte[]> fullChunks, List<Integer> chunkLengths) {
            this.series = null;
            this.sink = (chunk, offset, length) -> {
                fullChunks.add(chunk);
                chunkLengths.add(length);
            };
            this.buffer = spareChunk();
            this.ownsChunks = true;
        }

        void flush() {
            if (length > 0) {
                sink.write(buffer, 0, length);
                length = 0;
            }
        }

        /** A rendering's full chunk goes to its list whole, with its length; the next bytes start a new one. */
        private void nextChunk() {
            sink.write(buffer, 0, length);
            buffer = spareChunk();
            length = 0;
        }

        void write() {
            header();
            List<MetricPoint> points = series.points();
            if (points == null) {
                put(NULL);
            } else {
                room(1);
                buffer[length++] = '[';
                MetricBuckets.RawPoints raw = points instanceof MetricBuckets.RawPoints r ? r : null;
                ResolvedBuckets.RawPieces pieces = points instanceof ResolvedBuckets.RawPieces p ? p : null;
                for (int i = 0; i < points.size(); i++) {
                    if (i > 0) {
                        room(1);
                        buffer[length++] = ',';
                    }
                    if (raw != null) {
                        rawPoint(raw.row(i));
                    } else if (pieces != null) {
                        piece(pieces.piece(i));
                    } else {
                        point(points.get(i));
                    }
                }
                room(1);
                buffer[length++] = ']';
            }
            room(1);
            buffer[length++] = '}';
        }

        /** The series as {@link #write} writes it, its points taken from {@code rendered}. */
        void write(RawRendering rendered) {
            header();
            room(1);
            buffer[length++] = '[';
            flush();
            for (int i = 0; i < rendered.chunks.size(); i++) {
                sink.write(rendered.chunks.get(i), 0, rendered.chunkLengths.get(i));
            }
            sink.write(rendered.out.buffer, 0, rendered.out.length);
            room(2);
            buffer[length++] = ']';
            buffer[length++] = '}';
        }

        /** Everything before the points' array. */
        private void header() {
            put(ascii("{\"metric\":"));
            text(series.metric());
            put(ascii(",\"unit\":"));
            text(series.unit());
            put(ascii(",\"kind\":"));
            text(series.kind());
            put(ascii(",\"view\":"));
            text(series.view());
            put(ascii(",\"granularity\":"));
            text(series.granularity());
            put(ascii(",\"points\":"));
        }

        private void point(MetricPoint point) {
            put(START);
            time(point.start());
            put(END);
            time(point.end());
            put(VALUE);
            number(point.value());
            put(MIN);
            number(point.min());
            put(MAX);
            number(point.max());
            put(COUNT);
            integer(point.count());
            put(SOURCE);
            source(point.source());
            put(DEVICES);
            devices(point.devices());
            put(RANK);
            if (point.rank() == null) {
                put(NULL);
            } else {
                integer(point.rank());
            }
            put(FALLBACK);
            put(point.fallback() == null ? NULL : point.fallback() ? TRUE : FALSE);
            put(QUALITY);
            number(point.quality());
            room(1);
            buffer[length++] = '}';
        }

        /** {@code point(MetricBuckets.rawPoint(row, null, null))}, without making the point. */
        private void rawPoint(StoredMetric row) {
            int offset = row.utcOffsetSeconds();
            put(START);
            time(row.start(), offset);
            put(END);
            time(row.end(), offset);
            put(VALUE);
            number(row.value());
            put(RAW_MIDDLE);
            source(row.source());
            put(DEVICES);
            device(row.device());
            put(RAW_TAIL);
            number(row.quality());
            room(1);
            buffer[length++] = '}';
        }

        /** {@code point(piece.point())}, without making the point. */
        private void piece(ResolvedBuckets.Piece piece) {
            StoredMetric row = piece.row();
            int offset = row.utcOffsetSeconds();
            put(START);
            time(piece.from(), offset);
            put(END);
            time(piece.to(), offset);
            put(VALUE);
            number(piece.value());
            put(RAW_MIDDLE);
            source(piece.winner().source());
            put(DEVICES);
            device(row.device());
            put(RANK);
            integer(piece.winner().rank());
            put(FALLBACK);
            put(piece.winner().fallback() ? TRUE : FALSE);
            put(QUALITY);
            number(row.quality());
            room(1);
            buffer[length++] = '}';
        }

        /** {@code devices(MetricBuckets.devices(device))}. */
        private void device(String device) {
            if (device == null) {
                put(NO_DEVICES);
                return;
            }
            for (int i = 0; i < RECENT; i++) {
                if (device.equals(recentDevice[i])) {
                    put(recentDeviceBytes[i]);
                    return;
                }
            }
            byte[] bytes = deviceLists.computeIfAbsent(List.of(device), this::deviceList);
            recentDevice[nextDevice] = device;
            recentDeviceBytes[nextDevice] = bytes;
            nextDevice = (nextDevice + 1) % RECENT;
            put(bytes);
        }

        /**
         * {@code time(instant.atOffset(offset))} without the OffsetDateTime. The date part is
         * copied from the last timestamp when it falls on the same local day (the points of a read
         * come in time order, so most do): the calendar arithmetic was most of a raw read's JSON time.
         */
        private void time(Instant instant, int offset) {
            room(48);
            buffer[length] = '"';
            long epochSecond = instant.getEpochSecond();
            long localSecond = epochSecond + offset;
            long localDay = Math.floorDiv(localSecond, 86_400L);
            int at = length + 1;
            int written;
            if (localDay == lastLocalDay) {
                System.arraycopy(lastDate, 0, buffer, at, DATE_LENGTH);
                buffer[at + DATE_LENGTH] = 'T';
                int secondOfDay = (int) (localSecond - localDay * 86_400L);
                written = clock(buffer, at + DATE_LENGTH + 1, secondOfDay / 3600, secondOfDay / 60 % 60,
                        secondOfDay % 60, instant.getNano(), offset);
            } else {
                written = isoOffsetDateTime(epochSecond, instant.getNano(), offset, buffer, at);
                if (written >= 0) {
                    System.arraycopy(buffer, at, lastDate, 0, DATE_LENGTH);
                    lastLocalDay = localDay;
                }
            }
            if (written < 0) {
                time(MetricBuckets.at(instant, ZoneOffset.ofTotalSeconds(offset)));
                return;
            }
            length = written;
            buffer[length++] = '"';
        }

        private void source(String source) {
            if (source == null) {
                put(NULL);
                return;
            }
            for (int i = 0; i < RECENT; i++) {
                if (source.equals(recentSource[i])) {
                    put(recentSourceBytes[i]);
                    return;
                }
            }
            byte[] bytes = quoted.computeIfAbsent(source, MetricSeriesJson.this::quote);
            recentSource[nextSource] = source;
            recentSourceBytes[nextSource] = bytes;
            nextSource = (nextSource + 1) % RECENT;
            put(bytes);
        }

        private void devices(List<String> devices) {
            if (devices != lastDevices && !Objects.equals(devices, lastDevices)) {
                lastDevices = devices;
                lastDevicesBytes = devices == null ? NULL : deviceLists.computeIfAbsent(devices, this::deviceList);
            }
            put(lastDevicesBytes);
        }

        private byte[] deviceList(List<String> devices) {
            StringBuilder json = new StringBuilder("[");
            for (int i = 0; i < devices.size(); i++) {
                if (i > 0) {
                    json.append(',');
                }
                String device = devices.get(i);
                json.append(device == null ? "null" : new String(quote(device), StandardCharsets.UTF_8));
            }
            return json.append(']').toString().getBytes(StandardCharsets.UTF_8);
        }

        private void text(String value) {
            put(value == null ? NULL : quoted.computeIfAbsent(value, MetricSeriesJson.this::quote));
        }

        private void time(OffsetDateTime value) {
            if (value == null) {
                put(NULL);
                return;
            }
            room(48);
            buffer[length] = '"';
            int written = isoOffsetDateTime(value, buffer, length + 1);
            if (written < 0) {
                text(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(value));
                return;
            }
            length = written;
            buffer[length++] = '"';
        }

        private void number(Double value) {
            if (value == null) {
                put(NULL);
            } else {
                number(value.doubleValue());
            }
        }

        /** As UTF8JsonGenerator.writeNumber(double) with the default features: Double.toString, NaN quoted. */
        private void number(double value) {
            if (value >= 0 && value < 1e7 && value == Math.rint(value)
                    && (value != 0 || Double.doubleToRawLongBits(value) == 0)) {
                // Double.toString of a whole number below 10^7: its digits and ".0".
                integer((long) value);
                room(2);
                buffer[length++] = '.';
                buffer[length++] = '0';
                return;
            }
            String text = Double.toString(value);
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                text(text);
                return;
            }
            room(text.length());
            for (int i = 0; i < text.length(); i++) {
                buffer[length++] = (byte) text.charAt(i);
            }
        }

        private void integer(long value) {
            room(20);
            if (value < 0) {
                if (value == Long.MIN_VALUE) {
                    String text = Long.toString(value);
                    for (int i = 0; i < text.length(); i++) {
                        buffer[length++] = (byte) text.charAt(i);
                    }
                    return;
                }
                buffer[length++] = '-';
                value = -value;
            }
            int digits = 1;
            for (long v = value; v >= 10; v /= 10) {
                digits++;
            }
            for (int i = digits - 1; i >= 0; i--) {
                buffer[length + i] = (byte) ('0' + value % 10);
                value /= 10;
            }
            length += digits;
        }

        private void put(byte[] bytes) {
            room(bytes.length);
            System.arraycopy(bytes, 0, buffer, length, bytes.length);
            length += bytes.length;
        }

        private void room(int bytes) {
            if (length + bytes > buffer.length) {
                if (ownsChunks) {
                    nextChunk();
                    if (bytes > buffer.length) {
                        buffer = new byte[bytes];
                    }
                    return;
                }
                if (sink != null) {
                    flush();
                    if (bytes <= buffer.length) {
                        return;
                    }
                }
                buffer = java.util.Arrays.copyOf(buffer, Math.max(length + bytes, buffer.length * 2));
            }
        }
    }

    /**
     * A JSON string of {@code value} (quotes included) written by the mapper's generator itself,
     * so escaping is exactly its own (it escapes control characters, and surrogate pairs as two
     * \\u escapes, for instance).
     */
    private byte[] quote(String value) {
        try (ByteArrayBuilder bytes = new ByteArrayBuilder(value.length() + 16)) {
            try (JsonGenerator generator = writer.createGenerator(bytes)) {
                generator.writeString(value);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    public static void write(MetricSeries series, JsonGenerator generator) throws IOException {
        generator.writeStartObject();
        string(generator, "metric", series.metric());
        string(generator, "unit", series.unit());
        string(generator, "kind", series.kind());
        string(generator, "view", series.view());
        string(generator, "granularity", series.granularity());
        generator.writeFieldName("points");
        List<MetricPoint> points = series.points();
        if (points == null) {
            generator.writeNull();
        } else {
            generator.writeStartArray();
            for (MetricPoint point : points) {
                point(point, generator);
            }
            generator.writeEndArray();
        }
        generator.writeEndObject();
    }

    private static void point(MetricPoint point, JsonGenerator generator) throws IOException {
        generator.writeStartObject();
        time(generator, "start", point.start());
        time(generator, "end", point.end());
        generator.writeNumberField("value", point.value());
        generator.writeFieldName("min");
        if (point.min() == null) {
            generator.writeNull();
        } else {
            generator.writeNumber(point.min().doubleValue());
        }
        generator.writeFieldName("max");
        if (point.max() == null) {
            generator.writeNull();
        } else {
            generator.writeNumber(point.max().doubleValue());
        }
        generator.writeNumberField("count", point.count());
        string(generator, "source", point.source());
        generator.writeFieldName("devices");
        List<String> devices = point.devices();
        if (devices == null) {
            generator.writeNull();
        } else {
            generator.writeStartArray();
            for (String device : devices) {
                generator.writeString(device);
            }
            generator.writeEndArray();
        }
        generator.writeFieldName("rank");
        if (point.rank() == null) {
            generator.writeNull();
        } else {
            generator.writeNumber(point.rank().intValue());
        }
        generator.writeFieldName("fallback");
        if (point.fallback() == null) {
            generator.writeNull();
        } else {
            generator.writeBoolean(point.fallback());
        }
        generator.writeNumberField("quality", point.quality());
        generator.writeEndObject();
    }

    private static void string(JsonGenerator generator, String name, String value) throws IOException {
        generator.writeFieldName(name);
        generator.writeString(value); // writes null for null
    }

    private static void time(JsonGenerator generator, String name, OffsetDateTime value) throws IOException {
        generator.writeFieldName(name);
        if (value == null) {
            generator.writeNull();
        } else {
            generator.writeString(isoOffsetDateTime(value));
        }
    }

    /** {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} as the jsr310 serializer writes it. */
    public static String isoOffsetDateTime(OffsetDateTime value) {
        byte[] buffer = new byte[48];
        int end = isoOffsetDateTime(value, buffer, 0);
        return end < 0 ? DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(value)
                : new String(buffer, 0, end, StandardCharsets.US_ASCII);
    }

    /**
     * {@link #isoOffsetDateTime(OffsetDateTime, byte[], int)} of the instant
     * {@code epochSecond + nano} at the offset {@code offsetSeconds}, with the date and time
     * computed as {@code LocalDateTime.ofEpochSecond} does, without objects.
     */
    static int isoOffsetDateTime(long epochSecond, int nano, int offsetSeconds, byte[] out, int at) {
        long localSecond = epochSecond + offsetSeconds;
        long epochDay = Math.floorDiv(localSecond, 86_400L);
        int secondOfDay = (int) Math.floorMod(localSecond, 86_400L);
        // LocalDate.ofEpochDay's arithmetic.
        long zeroDay = epochDay + 719_528L - 60;
        long adjust = 0;
        if (zeroDay < 0) {
            long adjustCycles = (zeroDay + 1) / 146_097L - 1;
            adjust = adjustCycles * 400;
            zeroDay += -adjustCycles * 146_097L;
        }
        long yearEstimate = (400 * zeroDay + 591) / 146_097L;
        long dayOfYear = zeroDay - (365 * yearEstimate + yearEstimate / 4 - yearEstimate / 100 + yearEstimate / 400);
        if (dayOfYear < 0) {
            yearEstimate--;
            dayOfYear = zeroDay - (365 * yearEstimate + yearEstimate / 4 - yearEstimate / 100 + yearEstimate / 400);
        }
        yearEstimate += adjust;
        int marchDayOfYear = (int) dayOfYear;
        int marchMonth = (marchDayOfYear * 5 + 2) / 153;
        int month = (marchMonth + 2) % 12 + 1;
        int day = marchDayOfYear - (marchMonth * 306 + 5) / 10 + 1;
        long year = yearEstimate + marchMonth / 10;
        if (year < 0 || year > 9999) {
            return -1;
        }
        int i = at;
        i = digits4(out, i, (int) year);
        out[i++] = '-';
        i = digits2(out, i, month);
        out[i++] = '-';
        i = digits2(out, i, day);
        out[i++] = 'T';
        return clock(out, i, secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60, nano, offsetSeconds);
    }

    /**
     * Formats {@code value} as {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} does
     * ({@code 2024-03-10T08:00:00+01:00}: seconds always, the fraction without trailing zeros,
     * {@code Z} for UTC, offset seconds when there are any) into {@code out} from {@code at}
     * (at most 41 bytes); answers the end, or -1 for years outside 0000-9999 (the caller falls
     * back to the formatter).
     */
    static int isoOffsetDateTime(OffsetDateTime value, byte[] out, int at) {
        LocalDateTime local = value.toLocalDateTime();
        int year = local.getYear();
        if (year < 0 || year > 9999) {
            return -1;
        }
        int i = at;
        i = digits4(out, i, year);
        out[i++] = '-';
        i = digits2(out, i, local.getMonthValue());
        out[i++] = '-';
        i = digits2(out, i, local.getDayOfMonth());
        out[i++] = 'T';
        return clock(out, i, local.getHour(), local.getMinute(), local.getSecond(), local.getNano(),
                value.getOffset().getTotalSeconds());
    }

    /** {@code HH:mm:ss[.fraction]} and the offset ({@code Z}, {@code +HH:MM} or {@code +HH:MM:ss}). */
    private static int clock(byte[] out, int at, int hour, int minute, int second, int nano, int offset) {
        int i = at;
        i = digits2(out, i, hour);
        out[i++] = ':';
        i = digits2(out, i, minute);
        out[i++] = ':';
        i = digits2(out, i, second);
        if (nano != 0) {
            out[i++] = '.';
            int digits = 9;
            while (nano % 10 == 0) {
                nano /= 10;
                digits--;
            }
            for (int d = digits - 1; d >= 0; d--) {
                out[i + d] = (byte) ('0' + nano % 10);
                nano /= 10;
            }
            i += digits;
        }
        if (offset == 0) {
            out[i++] = 'Z';
            return i;
        }
        out[i++] = (byte) (offset < 0 ? '-' : '+');
        int abs = Math.abs(offset);
        i = digits2(out, i, abs / 3600);
        out[i++] = ':';
        i = digits2(out, i, abs / 60 % 60);
        if (abs % 60 != 0) {
            out[i++] = ':';
            i = digits2(out, i, abs % 60);
        }
        return i;
    }

    private static int digits2(byte[] out, int i, int value) {
        out[i] = (byte) ('0' + value / 10);
        out[i + 1] = (byte) ('0' + value % 10);
        return i + 2;
    }

    private static int digits4(byte[] out, int i, int value) {
        out[i] = (byte) ('0' + value / 1000);
        out[i + 1] = (byte) ('0' + value / 100 % 10);
        out[i + 2] = (byte) ('0' + value / 10 % 10);
        out[i + 3] = (byte) ('0' + value % 10);
        return i + 4;
    }
}
