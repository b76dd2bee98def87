package io.healthmesh.imports.apple;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class XmlSanitizingInputStreamTest {

    @Test
    void removesTheDoctypeKeepingItsLineBreaks() throws IOException {
        String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE HealthData [\n<!ELEMENT a (b)>\n<!ATTLIST a\n x CDATA #IMPLIED\n"
                + "<!ELEMENT b EMPTY>\n>\n]>\n<HealthData a=\"<!DOCTYPE x>\">]></HealthData>";
        String expected = "<?xml version=\"1.0\"?>\n\n\n\n\n\n\n\n<HealthData a=\"<!DOCTYPE x>\">]></HealthData>";

        assertThat(sanitizedInBulk(xml)).isEqualTo(expected);
        assertThat(sanitizedByteByByte(xml)).isEqualTo(expected);
        assertThat(sanitizedInChunksOf(3, xml)).isEqualTo(expected);
    }

    @Test
    void aDoctypeWithoutSubsetEndsAtItsFirstUnquotedBracket() throws IOException {
        String xml = "<!DOCTYPE HealthData SYSTEM \"evil>.dtd\"><HealthData/>";
        assertThat(sanitizedInBulk(xml)).isEqualTo("<HealthData/>");
        String subset = "<!DOCTYPE HealthData PUBLIC \"-//x\" 'a[b' [ <!ENTITY x \"]\"> ] ><HealthData/>";
        assertThat(sanitizedInBulk(subset)).isEqualTo("<HealthData/>");
    }

    @Test
    void keepsCommentsProcessingInstructionsAndTheByteOrderMark() throws IOException {
        String xml = "\uFEFF<?xml version=\"1.0\"?><!-- <!DOCTYPE not-this> --><?pi x?>\n<!DOCTYPE x [ ]><r/>";
        assertThat(sanitizedInBulk(xml))
                .isEqualTo("\uFEFF<?xml version=\"1.0\"?><!-- <!DOCTYPE not-this> --><?pi x?>\n<r/>");
    }

    @Test
    void dropsIllegalControlBytesEverywhere() throws IOException {
        String xml = "<?xml version=\"1.0\"?>\u000b\n<!DOCTYPE x [\u0001]><r a=\"x\u000by\u0000\">\t\u001f\r\n"
                + "é\u0008</r>";
        String expected = "<?xml version=\"1.0\"?>\n<r a=\"xy\">\t\r\né</r>";
        assertThat(sanitizedInBulk(xml)).isEqualTo(expected);
        assertThat(sanitizedByteByByte(xml)).isEqualTo(expected);
    }

    @Test
    void dropsControlBytesAtEveryPositionOfAWord() {
        java.util.Random random = new java.util.Random(42);
        byte[] alphabet = {'a', '<', ' ', '\t', '\n', '\r', 0x00, 0x01, 0x08, 0x0b, 0x0c, 0x0e, 0x1f, 0x20, 0x7f,
            (byte) 0x80, (byte) 0xc3, (byte) 0xa9, (byte) 0xe0, (byte) 0xff, (byte) 0x89, (byte) 0x8a, (byte) 0x8d,
            0x29, 0x2a, 0x2d, 0x49, 0x4a, 0x4d, (byte) 0xe9, (byte) 0xea, (byte) 0xed};
        byte[] legal = {'a', ' ', '\t', '\n', '\r', 0x20, (byte) 0x89, (byte) 0x8a, (byte) 0x8d, (byte) 0x80};
        for (int round = 0; round < 40_000; round++) {
            // Every other round has only legal bytes, so that long runs of words with line breaks and tabs
            // go through the word-wise paths to the end.
            byte[] letters = round % 2 == 0 ? alphabet : legal;
            int length = random.nextInt(100);
            int offset = random.nextInt(9);
            byte[] bytes = new byte[offset + length + random.nextInt(9)];
            for (int i = 0; i < bytes.length; i++) {
                // Mostly plain text, so that whole words pass the fast path too.
                bytes[i] = random.nextInt(4) == 0 ? letters[random.nextInt(letters.length)] : (byte) ('a' + i % 26);
            }
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (int i = offset; i < offset + length; i++) {
                byte b = bytes[i];
                if (b < 0 || b >= 0x20 || b == '\t' || b == '\n' || b == '\r') {
                    expected.write(b);
                }
            }
            byte[] copy = bytes.clone();
            int kept = XmlSanitizingInputStream.dropControlBytes(copy, offset, length);

            assertThat(java.util.Arrays.copyOfRange(copy, offset, offset + kept)).isEqualTo(expected.toByteArray());
            assertThat(java.util.Arrays.copyOfRange(copy, 0, offset)).isEqualTo(java.util.Arrays.copyOfRange(bytes, 0, offset));
            assertThat(java.util.Arrays.copyOfRange(copy, offset + length, copy.length))
                    .isEqualTo(java.util.Arrays.copyOfRange(bytes, offset + length, bytes.length));
        }
    }

    @Test
    void aChunkOfOnlyControlBytesIsNotReportedAsEmpty() throws IOException {
        byte[] controls = new byte[100_000];
        java.util.Arrays.fill(controls, (byte) 0x0b);
        ByteArrayOutputStream xml = new ByteArrayOutputStream();
        xml.write("<r>".getBytes(StandardCharsets.UTF_8));
        xml.write(controls);
        xml.write("</r>".getBytes(StandardCharsets.UTF_8));

        XmlSanitizingInputStream in = new XmlSanitizingInputStream(new ByteArrayInputStream(xml.toByteArray()));
        byte[] buffer = new byte[8192];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n;
        while ((n = in.read(buffer, 0, buffer.length)) != -1) {
            assertThat(n).isPositive();
            out.write(buffer, 0, n);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("<r></r>");
    }

    private static String sanitizedInBulk(String xml) throws IOException {
        try (InputStream in = new XmlSanitizingInputStream(utf8(xml))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String sanitizedByteByByte(String xml) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new XmlSanitizingInputStream(utf8(xml))) {
            int b;
            while ((b = in.read()) != -1) {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String sanitizedInChunksOf(int size, String xml) throws IOException {
        InputStream trickling = new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, size));
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new XmlSanitizingInputStream(trickling)) {
            byte[] buffer = new byte[size];
            int n;
            while ((n = in.read(buffer, 0, buffer.length)) != -1) {
                out.write(buffer, 0, n);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static InputStream utf8(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
