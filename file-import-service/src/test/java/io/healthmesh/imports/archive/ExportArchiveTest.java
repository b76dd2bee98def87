package io.healthmesh.imports.archive;

import static io.healthmesh.imports.archive.ZipBuilder.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;
import io.healthmesh.imports.apple.AppleExportHandler;
import io.healthmesh.imports.apple.AppleExportParser;
import io.healthmesh.imports.apple.MalformedExportException;
import io.healthmesh.imports.apple.ParseSummary;
import io.healthmesh.imports.archive.ExportRejectedException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExportArchiveTest {

    private static final ZoneId LOS_ANGELES = ZoneId.of("America/Los_Angeles");
    private static final ArchiveLimits DEFAULTS = ArchiveLimits.defaults();

    private static byte[] exportXml;
    private static Parsed bare;

    @TempDir
    Path temp;

    @BeforeAll
    static void parseTheBareFixture() throws Exception {
        try (InputStream in = ExportArchiveTest.class.getResourceAsStream("/apple/export-every-kind.xml")) {
            exportXml = in.readAllBytes();
        }
        bare = parse(new ByteArrayInputStream(exportXml));
    }

    // ---- What is opened ----

    @Test
    void aBareExportIsSniffedWhateverItsName() throws Exception {
        Path upload = write("export.zip", exportXml);

        try (ExportStream stream = ExportArchive.open(upload, DEFAULTS)) {
            assertThat(stream.totalBytes()).isEqualTo(exportXml.length);
            assertThat(stream.compressedBytesRead()).isZero();
            assertThat(stream.readAllBytes()).isEqualTo(exportXml);
            assertThat(stream.compressedBytesRead()).isEqualTo(exportXml.length);
            assertThat(stream.bytesRead()).isEqualTo(exportXml.length);
        }
    }

    @Test
    void aByteOrderMarkOrLeadingWhitespaceStillMakeXml() throws Exception {
        byte[] withBom = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, exportXml);
        try (ExportStream stream = ExportArchive.open(write("upload.bin", withBom), DEFAULTS)) {
            assertThat(parse(stream).summary()).isEqualTo(bare.summary());
        }

        byte[] withoutDeclaration = "\r\n  <HealthData locale=\"en_US\"/>".getBytes(StandardCharsets.UTF_8);
        try (ExportStream stream = ExportArchive.open(write("upload.txt", withoutDeclaration), DEFAULTS)) {
            assertThat(parse(stream).summary().recordsRead()).isZero();
        }
    }

    @Test
    void aZipIsSniffedWhateverItsName() throws Exception {
        byte[] archive = zip().deflated("apple_health_export/export.xml", exportXml).build();

        try (ExportStream stream = ExportArchive.open(write("export.xml", archive), DEFAULTS)) {
            assertThat(parse(stream).readings()).isEqualTo(bare.readings());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"%PDF-1.7\n", "{\"data\": []}", "", "\u00EF\u00BB\u00BF", "Rar!\u001a\u0007\u0000"})
    void anythingElseIsAnUnsupportedFile(String content) throws Exception {
        Path upload = write("export.zip", content.getBytes(StandardCharsets.ISO_8859_1));

        UnsupportedExportException error = catchThrowableOfType(
                () -> ExportArchive.open(upload, DEFAULTS), UnsupportedExportException.class);

        assertThat(error.reason()).isEqualTo(Reason.NOT_AN_EXPORT);
        assertThat(error.reason().hostile()).isFalse();
        assertThat(error.getMessage()).isEqualTo("The file is not an Apple Health export: expected export.zip or export.xml.");
    }

    // ---- Zip layouts ----

    @Test
    void theUsualExportZipWithDataDescriptorsAndSiblings() throws Exception {
        byte[] archive = zip()
                .deflated("apple_health_export/export_cda.xml", "<ClinicalDocument/>")
                .deflated("apple_health_export/export.xml", exportXml)
                .deflated("apple_health_export/workout-routes/route_2024-03-12_6.01pm.gpx", "<gpx version=\"1.1\"/>")
                .deflated("apple_health_export/electrocardiograms/ecg_2024-03-12.csv", "Name,Maya\n\n-265.868\n")
                .build();
        assertThat(ZipBuilder.firstLocalHeaderFlags(archive) & 0x08).as("data descriptor flag").isEqualTo(0x08);

        assertParsesLikeTheBareFile(archive);
    }

    @Test
    void storedEntriesAndNoFolder() throws Exception {
        assertParsesLikeTheBareFile(zip().stored("export.xml", exportXml).build());
        assertParsesLikeTheBareFile(zip().stored("Health/export.xml", exportXml).build());
    }

    @Test
    void aLocalisedTopFolder() throws Exception {
        assertParsesLikeTheBareFile(zip().deflated("Экспорт Здоровья/export.xml", exportXml).build());
        assertParsesLikeTheBareFile(zip().deflated("exportación_de_salud/export.xml", exportXml).build());
    }

    @Test
    void aLocalisedFolderRezippedInALegacyCodePage() throws Exception {
        byte[] archive = zip().namesIn(Charset.forName("windows-1252"))
                .deflated("exportación/export.xml", exportXml).build();

        assertParsesLikeTheBareFile(archive);
    }

    @Test
    void ofSeveralExportXmlTheShortestPathWins() throws Exception {
        byte[] archive = zip()
                .deflated("old/apple_health_export/export.xml", "<HealthData><Nope/></HealthData>")
                .deflated("apple_health_export/myexport.xml", "<HealthData><Nope/></HealthData>")
                .deflated("apple_health_export/export.xml", exportXml)
                .deflated("apple_health_export/Export.xml", "<HealthData><Nope/></HealthData>")
                .build();

        assertParsesLikeTheBareFile(archive);
    }

    @Test
    void aZip64ArchiveOfMoreThan65535Entries() throws Exception {
        ZipBuilder builder = zip().deflated("apple_health_export/export.xml", exportXml);
        for (int i = 0; i < 70_000; i++) {
            builder.stored("apple_health_export/workout-routes/route_" + i + ".gpx", new byte[0]);
        }
        byte[] archive = builder.build();
        assertThat(ZipBuilder.containsSignature(archive, 6, 6)).as("ZIP64 end of central directory").isTrue();
        assertThat(ZipBuilder.containsSignature(archive, 6, 7)).as("ZIP64 end of central directory locator").isTrue();

        assertParsesLikeTheBareFile(archive);
    }

    @Test
    void noExportXmlIsAnUnsupportedFile() throws Exception {
        byte[] archive = zip()
                .deflated("apple_health_export/export_cda.xml", "<ClinicalDocument/>")
                .deflated("apple_health_export/Export.xml", "<HealthData/>")
                .deflated("apple_health_export/myexport.xml", "<HealthData/>")
                .build();

        UnsupportedExportException error = catchThrowableOfType(
                () -> ExportArchive.open(write("export.zip", archive), DEFAULTS), UnsupportedExportException.class);

        assertThat(error.reason()).isEqualTo(Reason.NO_EXPORT_XML);
    }

    @Test
    void anEmptyZipHasNoExportXml() throws Exception {
        UnsupportedExportException error = catchThrowableOfType(
                () -> ExportArchive.open(write("export.zip", zip().build()), DEFAULTS), UnsupportedExportException.class);

        assertThat(error.reason()).isEqualTo(Reason.NO_EXPORT_XML);
    }

    @Test
    void aDamagedOrCutZipIsAnUnsupportedFile() throws Exception {
        byte[] archive = zip().deflated("apple_health_export/export.xml", exportXml).build();
        byte[] garbage = concat(new byte[] {'P', 'K', 3, 4}, "definitely not a zip".getBytes(StandardCharsets.UTF_8));

        for (byte[] damaged : List.of(Arrays.copyOf(archive, archive.length / 2), garbage)) {
            UnsupportedExportException error = catchThrowableOfType(
                    () -> ExportArchive.open(write("export.zip", damaged), DEFAULTS), UnsupportedExportException.class);
            assertThat(error.reason()).isEqualTo(Reason.DAMAGED_ARCHIVE);
            assertThat(error.getMessage()).startsWith("The zip archive cannot be read");
        }
    }

    @Test
    void exportXmlCompressedWithAnotherMethodIsUnsupported() throws Exception {
        byte[] archive = zip().deflated("apple_health_export/export.xml", exportXml).build();
        byte[] deflate64 = ZipBuilder.patchCentralDirectory(archive, "apple_health_export/export.xml",
                ZipBuilder.CEN_METHOD, 2, 9);

        UnsupportedExportException error = catchThrowableOfType(
                () -> ExportArchive.open(write("export.zip", deflate64), DEFAULTS), UnsupportedExportException.class);

        assertThat(error.reason()).isEqualTo(Reason.UNSUPPORTED_COMPRESSION);
        assertThat(error.getMessage()).contains("Deflate64");
    }

    // ---- Progress and closing ----

    @Test
    void progressCountsCompressedBytesUpToTheEntrysSize() throws Exception {
        byte[] archive = zip()
                .deflated("apple_health_export/export.xml", exportXml)
                .stored("apple_health_export/electrocardiograms/ecg.csv", new byte[50_000])
                .build();
        long compressedSize;
        compressedSize = compressedSize(archive, "apple_health_export/export.xml");

        try (ExportStream stream = ExportArchive.open(write("export.zip", archive), DEFAULTS)) {
            assertThat(stream.totalBytes()).isEqualTo(archive.length);
            List<Long> progress = new ArrayList<>();
            byte[] buffer = new byte[1024];
            while (stream.read(buffer) != -1) {
                progress.add(stream.compressedBytesRead());
            }
            assertThat(progress).isSorted();
            assertThat(progress.get(0)).isPositive().isLessThan(compressedSize);
            assertThat(stream.compressedBytesRead()).isEqualTo(compressedSize).isLessThan(stream.totalBytes());
            assertThat(stream.bytesRead()).isEqualTo(exportXml.length);
        }
    }

    @Test
    void closingTheStreamClosesTheZip() throws Exception {
        byte[] archive = zip().deflated("apple_health_export/export.xml", exportXml).build();
        ExportStream stream = ExportArchive.open(write("export.zip", archive), DEFAULTS);
        assertThat(stream.read()).isEqualTo('<');

        stream.close();

        assertThatThrownBy(stream::read).isInstanceOf(IOException.class);
    }

    // ---- Hostile archives ----

    @Test
    void tooManyEntriesAreRefused() throws Exception {
        byte[] archive = zip()
                .deflated("apple_health_export/export.xml", exportXml)
                .deflated("a", "1").deflated("b", "2").deflated("c", "3")
                .build();
        ArchiveLimits threeEntries = new ArchiveLimits(3, DEFAULTS.maxUncompressedBytes(), DEFAULTS.maxCompressionRatio());

        HostileArchiveException error = catchThrowableOfType(
                () -> ExportArchive.open(write("export.zip", archive), threeEntries), HostileArchiveException.class);

        assertThat(error.reason()).isEqualTo(Reason.TOO_MANY_ENTRIES);
        assertThat(error.reason().hostile()).isTrue();
        assertThat(error.getMessage()).isEqualTo("The archive has 4 entries, more than the limit of 3.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../export.xml", "/abs/export.xml", "apple_health_export/../../export.xml",
        "apple_health_export\\..\\export.xml", "C:/export.xml", "apple_health_export/..", "..",
        "apple_health_export/workout-routes/../../../../etc/cron.d/evil"})
    void zipSlipArchivesAreRefusedWhole(String unsafeName) throws Exception {
        byte[] archive = zip()
                .deflated("apple_health_export/export.xml", exportXml)
                .deflated(unsafeName, "x")
                .build();

        HostileArchiveException error = catchThrowableOfType(
                () -> ExportArchive.open(write("export.zip", archive), DEFAULTS), HostileArchiveException.class);

        assertThat(error.reason()).isEqualTo(Reason.UNSAFE_ENTRY_NAME);
        assertThat(error.getMessage()).startsWith("The archive contains an entry whose path points outside its folder");
    }

    @Test
    void aNulInAnEntryNameIsRefused() throws Exception {
        byte[] archive = zip().deflated("apple_health_export/export.xml\u0000.gpx", exportXml).build();

        ExportRejectedException error = catchThrowableOfType(
                () -> ExportArchive.open(write("export.zip", archive), DEFAULTS), ExportRejectedException.class);

        // Whether the JDK refuses the name itself or we do, the archive is never read.
        assertThat(error.reason()).isIn(Reason.UNSAFE_ENTRY_NAME, Reason.DAMAGED_ARCHIVE);
        assertThat(error.getMessage()).doesNotContain("\u0000");
    }

    @Test
    void entryNamesThatStayInsideAreSafe() {
        assertThat(ExportArchive.isSafeEntryName("apple_health_export/export.xml")).isTrue();
        assertThat(ExportArchive.isSafeEntryName("apple_health_export/")).isTrue();
        assertThat(ExportArchive.isSafeEntryName("a/..b/c..")).isTrue();
        assertThat(ExportArchive.isSafeEntryName("./export.xml")).isTrue();
        assertThat(ExportArchive.isSafeEntryName("")).isFalse();
        assertThat(ExportArchive.isExportXml("export.xml")).isTrue();
        assertThat(ExportArchive.isExportXml("any/folder/export.xml")).isTrue();
        assertThat(ExportArchive.isExportXml("export_cda.xml")).isFalse();
        assertThat(ExportArchive.isExportXml("myexport.xml")).isFalse();
        assertThat(ExportArchive.isExportXml("EXPORT.XML")).isFalse();
    }

    @Test
    void aZipBombIsRefusedFromItsDeclaredSizes() throws Exception {
        byte[] archive = zip().deflated("apple_health_export/export.xml", bombXml(8 * 1024 * 1024)).build();

        HostileArchiveException error = catchThrowableOfType(
                () -> ExportArchive.open(write("export.zip", archive), DEFAULTS), HostileArchiveException.class);

        assertThat(error.reason()).isEqualTo(Reason.ZIP_BOMB);
        assertThat(error.getMessage()).startsWith("The archive looks like a zip bomb: 'apple_health_export/export.xml' (")
                .contains("100 times the compressed size");
    }

    @Test
    void aZipBombLyingAboutItsSizeIsStoppedWhileInflating() throws Exception {
        byte[] honest = zip().deflated("apple_health_export/export.xml", bombXml(8 * 1024 * 1024)).build();
        byte[] lying = ZipBuilder.patchCentralDirectory(honest, "apple_health_export/export.xml",
                ZipBuilder.CEN_SIZE, 4, 4_000);
        List<Reading> emitted = new ArrayList<>();

        try (ExportStream stream = ExportArchive.open(write("export.zip", lying), DEFAULTS)) {
            HostileArchiveException error = catchThrowableOfType(() -> new AppleExportParser("job", LOS_ANGELES)
                    .parse(stream, collectingReadings(emitted)), HostileArchiveException.class);

            assertThat(error.reason()).isEqualTo(Reason.ZIP_BOMB);
            // Stopped at the limit, not at the end of the 8 MB.
            long limit = ExportArchive.maxInflatedBytes(compressedSize(lying, "apple_health_export/export.xml"), DEFAULTS);
            assertThat(stream.bytesRead()).isGreaterThan(limit).isLessThan(limit + 1024 * 1024);
        }
        // What came before the bomb part was emitted and stays so.
        assertThat(emitted).hasSize(1);
    }

    @Test
    void theAbsoluteSizeLimitHoldsWhateverTheRatio() throws Exception {
        ArchiveLimits twoMegabytes = new ArchiveLimits(10, 2 * 1024 * 1024, 1_000_000);
        byte[] honest = zip().deflated("export.xml", bombXml(3 * 1024 * 1024)).build();

        HostileArchiveException declared = catchThrowableOfType(
                () -> ExportArchive.open(write("export.zip", honest), twoMegabytes), HostileArchiveException.class);
        assertThat(declared.reason()).isEqualTo(Reason.ZIP_BOMB);

        byte[] lying = ZipBuilder.patchCentralDirectory(honest, "export.xml", ZipBuilder.CEN_SIZE, 4, 1_000);
        try (ExportStream stream = ExportArchive.open(write("lying.zip", lying), twoMegabytes)) {
            assertThatThrownBy(stream::readAllBytes).isInstanceOf(HostileArchiveException.class);
            assertThat(stream.bytesRead()).isGreaterThan(2 * 1024 * 1024);
        }
    }

    @Test
    void theSumOfDeclaredSizesIsLimitedToo() throws Exception {
        ArchiveLimits twoMegabytes = new ArchiveLimits(10, 2 * 1024 * 1024, 1_000_000);
        byte[] archive = zip()
                .deflated("apple_health_export/export.xml", exportXml)
                .deflated("apple_health_export/electrocardiograms/a.csv", new byte[1_100_000])
                .deflated("apple_health_export/electrocardiograms/b.csv", new byte[1_100_000])
                .build();

        HostileArchiveException error = catchThrowableOfType(
                () -> ExportArchive.open(write("export.zip", archive), twoMegabytes), HostileArchiveException.class);

        assertThat(error.reason()).isEqualTo(Reason.ZIP_BOMB);
        assertThat(error.getMessage()).startsWith("The archive declares " + (2_200_000 + exportXml.length) + " bytes");
    }

    @Test
    void theRatioLimitStartsAboveAFloor() {
        assertThat(ExportArchive.maxInflatedBytes(100, DEFAULTS)).isEqualTo(ExportArchive.RATIO_CHECK_FLOOR_BYTES);
        assertThat(ExportArchive.maxInflatedBytes(1_000_000, DEFAULTS)).isEqualTo(100_000_000);
        assertThat(ExportArchive.maxInflatedBytes(10_000_000_000L, DEFAULTS)).isEqualTo(DEFAULTS.maxUncompressedBytes());
    }

    @Test
    void limitsMustBeSensible() {
        assertThatThrownBy(() -> new ArchiveLimits(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ArchiveLimits(1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ArchiveLimits(1, 1, 0.5)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- Helpers ----

    private void assertParsesLikeTheBareFile(byte[] archive) throws Exception {
        Path upload = write("export-" + System.nanoTime() + ".zip", archive);
        try (ExportStream stream = ExportArchive.open(upload, DEFAULTS)) {
            Parsed parsed = parse(stream);
            assertThat(parsed.summary()).isEqualTo(bare.summary());
            assertThat(parsed.readings()).isEqualTo(bare.readings());
            assertThat(parsed.sessions()).isEqualTo(bare.sessions());
        }
    }

    /** A valid export: one step record, then megabytes of whitespace, which deflate shrinks a thousandfold. */
    private static byte[] bombXml(int whitespaceBytes) {
        String head = "<HealthData locale=\"en_US\">\n <Record type=\"HKQuantityTypeIdentifierStepCount\" sourceName=\"Phone\" "
                + "unit=\"count\" startDate=\"2024-03-12 08:40:00 -0700\" endDate=\"2024-03-12 08:50:00 -0700\" value=\"10\"/>\n";
        byte[] padding = new byte[whitespaceBytes];
        Arrays.fill(padding, (byte) ' ');
        return concat(concat(head.getBytes(StandardCharsets.UTF_8), padding),
                "</HealthData>\n".getBytes(StandardCharsets.UTF_8));
    }

    private long compressedSize(byte[] archive, String entryName) throws IOException {
        try (ZipFile zipFile = new ZipFile(write("probe-" + System.nanoTime() + ".zip", archive).toFile())) {
            return zipFile.getEntry(entryName).getCompressedSize();
        }
    }

    private Path write(String name, byte[] content) {
        try {
            Path file = temp.resolve(name);
            Files.write(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] joined = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }

    private record Parsed(ParseSummary summary, List<Reading> readings, List<Session> sessions) {
    }

    private static Parsed parse(InputStream exportXml) throws MalformedExportException, IOException {
        List<Reading> readings = new ArrayList<>();
        List<Session> sessions = new ArrayList<>();
        AppleExportHandler handler = new AppleExportHandler() {
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
            }
        };
        ParseSummary summary = new AppleExportParser("job-42", LOS_ANGELES).parse(exportXml, handler);
        return new Parsed(summary, readings, sessions);
    }

    private static AppleExportHandler collectingReadings(List<Reading> readings) {
        return new AppleExportHandler() {
            @Override
            public void reading(Reading reading) {
                readings.add(reading);
            }

            @Override
            public void session(Session session) {
            }

            @Override
            public void skipped(String reason) {
            }
        };
    }
}
