package io.healthmesh.systemtests.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Hostile uploads, generated in memory and small on the wire (nothing large is kept in git): each
 * is built to hurt a naive importer in one way.
 */
final class HostileFiles {

    /** One record Apple would write; every hostile export puts its attack before any such record. */
    static final String STEP_RECORD = "<Record type=\"HKQuantityTypeIdentifierStepCount\" sourceName=\"Phone\""
            + " unit=\"count\" creationDate=\"2024-03-12 09:00:00 -0700\" startDate=\"2024-03-12 08:40:00 -0700\""
            + " endDate=\"2024-03-12 08:50:00 -0700\" value=\"10\"/>";

    private HostileFiles() {
    }

    /** XXE: an external entity naming a local file, used in the first record's attribute. */
    static byte[] xxeExport() {
        return utf8("""
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE HealthData [
                <!ELEMENT HealthData ANY>
                <!ENTITY xxe SYSTEM "file:///etc/passwd">
                ]>
                <HealthData locale="en_US">
                 <Record type="HKQuantityTypeIdentifierStepCount" sourceName="&xxe;" unit="count" creationDate="2024-03-12 09:10:00 -0700" startDate="2024-03-12 08:50:00 -0700" endDate="2024-03-12 09:00:00 -0700" value="20"/>
                 %s
                </HealthData>
                """.formatted(STEP_RECORD));
    }

    /** Billion laughs: ten levels of tenfold entities, expanded to 3 GB by a parser that resolves them. */
    static byte[] billionLaughsExport() {
        StringBuilder doctype = new StringBuilder("<!DOCTYPE HealthData [\n<!ENTITY lol \"lol\">\n");
        for (int level = 1; level <= 9; level++) {
            String previous = level == 1 ? "lol" : "lol" + (level - 1);
            doctype.append("<!ENTITY lol").append(level).append(" \"")
                    .append(("&" + previous + ";").repeat(10)).append("\">\n");
        }
        doctype.append("]>\n");
        return utf8("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + doctype
                + "<HealthData locale=\"en_US\">\n <Record type=\"HKQuantityTypeIdentifierStepCount\""
                + " sourceName=\"&lol9;\" unit=\"count\" creationDate=\"2024-03-12 09:10:00 -0700\""
                + " startDate=\"2024-03-12 08:50:00 -0700\" endDate=\"2024-03-12 09:00:00 -0700\" value=\"20\"/>\n "
                + STEP_RECORD + "\n</HealthData>\n");
    }

    /** Broken XML: an attribute never closed, before any complete record. */
    static byte[] malformedExport() {
        return utf8("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HealthData locale=\"en_US\">\n"
                + " <Record type=\"HKQuantityTypeIdentifierStepCount\" sourceName=\"Phone unit=\"count\" <<>>\n"
                + " " + STEP_RECORD + "\n</HealthData>\n");
    }

    /** Zip slip: an export whose entry name climbs out of any extraction folder. */
    static byte[] zipSlip() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("apple_health_export/export.xml", validExport());
        entries.put("../../../../tmp/healthmesh-zip-slip.sh", utf8("#!/bin/sh\necho owned\n"));
        return zip(entries);
    }

    /** Zip bomb: 16 MiB of blanks deflate to about 16 KiB, a ratio far above any real export's. */
    static byte[] zipBomb() {
        byte[] blanks = new byte[16 * 1024 * 1024];
        Arrays.fill(blanks, (byte) ' ');
        return zip(Map.of("apple_health_export/export.xml", blanks));
    }

    /** A real zip, but of something else: no export.xml in it. */
    static byte[] zipWithoutExport() {
        return zip(Map.of("apple_health_export/export_cda.xml", validExport()));
    }

    /** The zip's local header magic, then garbage: no central directory to read. */
    static byte[] damagedZip() {
        byte[] bytes = new byte[4096];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        bytes[0] = 'P';
        bytes[1] = 'K';
        bytes[2] = 3;
        bytes[3] = 4;
        return bytes;
    }

    /** A PNG's signature and some binary: neither CSV nor an export. */
    static byte[] binary() {
        byte[] bytes = new byte[2048];
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
        System.arraycopy(png, 0, bytes, 0, png.length);
        for (int i = png.length; i < bytes.length; i++) {
            bytes[i] = (byte) (i % 7 == 0 ? 0 : i * 13);
        }
        return bytes;
    }

    static byte[] validExport() {
        return utf8("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HealthData locale=\"en_US\">\n " + STEP_RECORD
                + "\n</HealthData>\n");
    }

    static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
