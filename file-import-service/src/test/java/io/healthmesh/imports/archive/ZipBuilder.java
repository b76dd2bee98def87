package io.healthmesh.imports.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds zip archives in memory the way the JDK writes them: deflated entries get data descriptors
 * (sizes after the data), stored entries carry their sizes up front, more than 65,535 entries make
 * a ZIP64 archive. Also patches central-directory fields to forge what no honest zipper writes.
 */
final class ZipBuilder {

    private record Entry(String name, byte[] content, int method) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private Charset charset = StandardCharsets.UTF_8;

    static ZipBuilder zip() {
        return new ZipBuilder();
    }

    ZipBuilder deflated(String name, byte[] content) {
        entries.add(new Entry(name, content, ZipEntry.DEFLATED));
        return this;
    }

    ZipBuilder deflated(String name, String content) {
        return deflated(name, content.getBytes(StandardCharsets.UTF_8));
    }

    ZipBuilder stored(String name, byte[] content) {
        entries.add(new Entry(name, content, ZipEntry.STORED));
        return this;
    }

    /** Entry names in a legacy code page, without the UTF-8 flag, as old Windows zippers write them. */
    ZipBuilder namesIn(Charset legacy) {
        this.charset = legacy;
        return this;
    }

    byte[] build() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, charset)) {
            for (Entry entry : entries) {
                ZipEntry zipEntry = new ZipEntry(entry.name());
                zipEntry.setMethod(entry.method());
                if (entry.method() == ZipEntry.STORED) {
                    CRC32 crc = new CRC32();
                    crc.update(entry.content());
                    zipEntry.setSize(entry.content().length);
                    zipEntry.setCompressedSize(entry.content().length);
                    zipEntry.setCrc(crc.getValue());
                }
                zip.putNextEntry(zipEntry);
                zip.write(entry.content());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static final int CEN_METHOD = 10;
    static final int CEN_COMPRESSED_SIZE = 20;
    static final int CEN_SIZE = 24;

    /** Overwrites a little-endian field of the named entry's central-directory header. */
    static byte[] patchCentralDirectory(byte[] zip, String entryName, int fieldOffset, int fieldBytes, long value) {
        byte[] patched = zip.clone();
        byte[] name = entryName.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 46 <= patched.length; i++) {
            if (patched[i] == 'P' && patched[i + 1] == 'K' && patched[i + 2] == 1 && patched[i + 3] == 2) {
                int nameLength = (patched[i + 28] & 0xFF) | (patched[i + 29] & 0xFF) << 8;
                if (nameLength == name.length && regionEquals(patched, i + 46, name)) {
                    for (int b = 0; b < fieldBytes; b++) {
                        patched[i + fieldOffset + b] = (byte) (value >>> (8 * b));
                    }
                    return patched;
                }
            }
        }
        throw new IllegalArgumentException("no central directory entry " + entryName);
    }

    /** The general-purpose flags of the first local file header. */
    static int firstLocalHeaderFlags(byte[] zip) {
        return (zip[6] & 0xFF) | (zip[7] & 0xFF) << 8;
    }

    static boolean containsSignature(byte[] zip, int third, int fourth) {
        for (int i = 0; i + 4 <= zip.length; i++) {
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == third && zip[i + 3] == fourth) {
                return true;
            }
        }
        return false;
    }

    private static boolean regionEquals(byte[] bytes, int offset, byte[] expected) {
        if (offset + expected.length > bytes.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (bytes[offset + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
