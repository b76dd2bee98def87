package io.healthmesh.normalizer.repository;

import io.healthmesh.normalizer.api.MetricPoint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * One local date's points as {@code metric_day_cache.points} keeps them: every field exactly (the
 * doubles' bits, the instants to the nanosecond with their offsets), so a point read back renders
 * the same JSON as the point computed.
 */
public final class DayPointsCodec {

    private static final int FORMAT = 1;
    private static final int HAS_MIN = 1;
    private static final int HAS_MAX = 2;
    private static final int HAS_RANK = 4;
    private static final int HAS_FALLBACK = 8;
    private static final int FALLBACK = 16;
    private static final int HAS_SOURCE = 32;

    private DayPointsCodec() {
    }

    public static byte[] encode(List<MetricPoint> points) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + points.size() * 96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeInt(points.size());
            for (MetricPoint point : points) {
                writeTime(out, point.start());
                writeTime(out, point.end());
                out.writeDouble(point.value());
                int flags = (point.min() != null ? HAS_MIN : 0) | (point.max() != null ? HAS_MAX : 0)
                        | (point.rank() != null ? HAS_RANK : 0) | (point.fallback() != null ? HAS_FALLBACK : 0)
                        | (Boolean.TRUE.equals(point.fallback()) ? FALLBACK : 0)
                        | (point.source() != null ? HAS_SOURCE : 0);
                out.writeByte(flags);
                if (point.min() != null) {
                    out.writeDouble(point.min());
                }
                if (point.max() != null) {
                    out.writeDouble(point.max());
                }
                out.writeLong(point.count());
                if (point.source() != null) {
                    out.writeUTF(point.source());
                }
                out.writeInt(point.devices().size());
                for (String device : point.devices()) {
                    out.writeUTF(device);
                }
                if (point.rank() != null) {
                    out.writeInt(point.rank());
                }
                out.writeDouble(point.quality());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static List<MetricPoint> decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("Day points of format " + format + ", not " + FORMAT);
            }
            int size = in.readInt();
            List<MetricPoint> points = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                OffsetDateTime start = readTime(in);
                OffsetDateTime end = readTime(in);
                double value = in.readDouble();
                int flags = in.readUnsignedByte();
                Double min = (flags & HAS_MIN) != 0 ? in.readDouble() : null;
                Double max = (flags & HAS_MAX) != 0 ? in.readDouble() : null;
                long count = in.readLong();
                String source = (flags & HAS_SOURCE) != 0 ? in.readUTF() : null;
                int deviceCount = in.readInt();
                List<String> devices = new ArrayList<>(deviceCount);
                for (int d = 0; d < deviceCount; d++) {
                    devices.add(in.readUTF());
                }
                Integer rank = (flags & HAS_RANK) != 0 ? in.readInt() : null;
                Boolean fallback = (flags & HAS_FALLBACK) != 0 ? (flags & FALLBACK) != 0 : null;
                double quality = in.readDouble();
                points.add(new MetricPoint(start, end, value, min, max, count, source, List.copyOf(devices), rank,
                        fallback, quality));
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException("Day points with " + in.available() + " bytes after the last");
            }
            return points;
        } catch (IOException e) {
            throw new IllegalArgumentException("Day points cut short", e);
        }
    }

    private static void writeTime(DataOutputStream out, OffsetDateTime time) throws IOException {
        out.writeLong(time.toEpochSecond());
        out.writeInt(time.getNano());
        out.writeInt(time.getOffset().getTotalSeconds());
    }

    private static OffsetDateTime readTime(DataInputStream in) throws IOException {
        long second = in.readLong();
        int nano = in.readInt();
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(in.readInt());
        return OffsetDateTime.of(LocalDateTime.ofEpochSecond(second, nano, offset), offset);
    }
}
