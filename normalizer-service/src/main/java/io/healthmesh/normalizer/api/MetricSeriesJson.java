package io.healthmesh.normalizer.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes a {@link MetricSeries} with Jackson's streaming generator, field by field, exactly as
 * the service's ObjectMapper writes the records (same names, order, nulls, number and string
 * forms; the generator is the mapper's own), without data binding or {@link DateTimeFormatter}
 * per timestamp: a large raw read spent most of its JSON time there.
 */
public final class MetricSeriesJson {

    private MetricSeriesJson() {
    }

    /** The whole series as bytes, through a generator made by {@code writer} (the mapper's settings). */
    public static byte[] toBytes(MetricSeries series, ObjectWriter writer) {
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
            char[] buffer = new char[40];
            generator.writeStartArray();
            for (MetricPoint point : points) {
                point(point, generator, buffer);
            }
            generator.writeEndArray();
        }
        generator.writeEndObject();
    }

    private static void point(MetricPoint point, JsonGenerator generator, char[] buffer) throws IOException {
        generator.writeStartObject();
        time(generator, "start", point.start(), buffer);
        time(generator, "end", point.end(), buffer);
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

    private static void time(JsonGenerator generator, String name, OffsetDateTime value, char[] buffer)
            throws IOException {
        generator.writeFieldName(name);
        if (value == null) {
            generator.writeNull();
            return;
        }
        int length = isoOffsetDateTime(value, buffer);
        if (length < 0) {
            generator.writeString(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(value));
        } else {
            generator.writeString(buffer, 0, length);
        }
    }

    /** {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} as the jsr310 serializer writes it. */
    public static String isoOffsetDateTime(OffsetDateTime value) {
        char[] buffer = new char[40];
        int length = isoOffsetDateTime(value, buffer);
        return length < 0 ? DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(value) : new String(buffer, 0, length);
    }

    /**
     * Formats {@code value} as {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} does
     * ({@code 2024-03-10T08:00:00+01:00}, seconds always, the fraction without trailing zeros,
     * {@code Z} for UTC, offset seconds when there are any) into {@code out}; answers the length,
     * or -1 for years outside 0000-9999 (the caller falls back to the formatter).
     */
    static int isoOffsetDateTime(OffsetDateTime value, char[] out) {
        LocalDateTime local = value.toLocalDateTime();
        int year = local.getYear();
        if (year < 0 || year > 9999) {
            return -1;
        }
        int i = 0;
        i = digits4(out, i, year);
        out[i++] = '-';
        i = digits2(out, i, local.getMonthValue());
        out[i++] = '-';
        i = digits2(out, i, local.getDayOfMonth());
        out[i++] = 'T';
        i = digits2(out, i, local.getHour());
        out[i++] = ':';
        i = digits2(out, i, local.getMinute());
        out[i++] = ':';
        i = digits2(out, i, local.getSecond());
        int nano = local.getNano();
        if (nano != 0) {
            out[i++] = '.';
            int digits = 9;
            while (nano % 10 == 0) {
                nano /= 10;
                digits--;
            }
            for (int d = digits - 1; d >= 0; d--) {
                out[i + d] = (char) ('0' + nano % 10);
                nano /= 10;
            }
            i += digits;
        }
        int offset = value.getOffset().getTotalSeconds();
        if (offset == 0) {
            out[i++] = 'Z';
            return i;
        }
        out[i++] = offset < 0 ? '-' : '+';
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

    private static int digits2(char[] out, int i, int value) {
        out[i] = (char) ('0' + value / 10);
        out[i + 1] = (char) ('0' + value % 10);
        return i + 2;
    }

    private static int digits4(char[] out, int i, int value) {
        out[i] = (char) ('0' + value / 1000);
        out[i + 1] = (char) ('0' + value / 100 % 10);
        out[i + 2] = (char) ('0' + value / 10 % 10);
        out[i + 3] = (char) ('0' + value % 10);
        return i + 4;
    }
}
