package io.healthmesh.imports.archive;

import io.healthmesh.imports.archive.ExportRejectedException.Reason;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Opens an upload as the byte stream of its export.xml: a bare export.xml, or export.zip with
 * export.xml in any folder. The kind is sniffed from the first bytes, never taken from the name.
 *
 * <p>Zip archives are read through their central directory ({@link ZipFile}, ZIP64-capable, not
 * bothered by data descriptors) and refused whole when hostile: too many entries, an entry name
 * that would escape an extraction folder (zip slip: we never extract, but nobody else builds such
 * names), or sizes that betray a zip bomb. Declared sizes are checked up front as a cheap early
 * refusal; the bytes actually inflated are counted by {@link ExportStream} while parsing.
 */
public final class ExportArchive {

    static final String EXPORT_XML = "export.xml";

    /**
     * The compression-ratio limit applies only past this many inflated bytes: a small entry proves
     * nothing and costs nothing, and tiny files compress oddly.
     */
    static final long RATIO_CHECK_FLOOR_BYTES = 1024 * 1024;

    private static final int SNIFF_BYTES = 512;
    private static final int STREAM_BUFFER_BYTES = 64 * 1024;

    private ExportArchive() {
    }

    /**
     * The export.xml bytes of an upload.
     *
     * @throws UnsupportedExportException neither a zip nor XML, a zip without export.xml, a zip that
     *     cannot be read, or export.xml compressed with an unsupported method (answer as unsupported file)
     * @throws HostileArchiveException too many entries, an unsafe entry name, or a zip bomb
     */
    public static ExportStream open(Path upload, ArchiveLimits limits)
            throws UnsupportedExportException, HostileArchiveException, IOException {
        long uploadSize = Files.size(upload);
        byte[] head = readHead(upload);
        if (isZip(head)) {
            return openZip(upload, uploadSize, limits);
        }
        if (isXml(head)) {
            return ExportStream.bare(new BufferedInputStream(Files.newInputStream(upload), STREAM_BUFFER_BYTES),
                    uploadSize);
        }
        throw new UnsupportedExportException(Reason.NOT_AN_EXPORT,
                "The file is not an Apple Health export: expected export.zip or export.xml.");
    }

    private static ExportStream openZip(Path upload, long uploadSize, ArchiveLimits limits) throws IOException {
        ZipFile zip = openZipFile(upload);
        try {
            ZipEntry export = findExportXml(zip, limits);
            if (export.getMethod() != ZipEntry.STORED && export.getMethod() != ZipEntry.DEFLATED) {
                throw unsupportedCompression("method " + export.getMethod());
            }
            // A compressed size larger than the file is a lie; the file bounds what can be inflated from.
            long compressedSize = Math.min(Math.max(export.getCompressedSize(), 0), uploadSize);
            long maxInflated = maxInflatedBytes(compressedSize, limits);
            long declaredSize = export.getSize();
            if (declaredSize > maxInflated) {
                throw new HostileArchiveException(Reason.ZIP_BOMB, bombMessage(export.getName(), compressedSize,
                        maxInflated, limits));
            }
            InputStream entry = zip.getInputStream(export);
            return ExportStream.zipEntry(entry, zip, uploadSize, maxInflated,
                    bombMessage(export.getName(), compressedSize, maxInflated, limits), compressedSize,
                    declaredSize);
        } catch (IOException | RuntimeException e) {
            closeQuietly(zip, e);
            throw e;
        }
    }

    private static ZipFile openZipFile(Path upload) throws UnsupportedExportException {
        try {
            return new ZipFile(upload.toFile(), ZipFile.OPEN_READ, StandardCharsets.UTF_8);
        } catch (ZipException notUtf8) {
            // Zippers on Windows write names in a legacy code page without the UTF-8 flag, which the JDK
            // then refuses ("bad entry name"). ISO-8859-1 decodes any byte; we only need the ASCII suffix.
            return openZipFileLeniently(upload, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw damaged(e);
        }
    }

    private static ZipFile openZipFileLeniently(Path upload, Charset charset) throws UnsupportedExportException {
        try {
            return new ZipFile(upload.toFile(), ZipFile.OPEN_READ, charset);
        } catch (IOException e) {
            throw damaged(e);
        }
    }

    private static UnsupportedExportException damaged(IOException cause) {
        String detail = String.valueOf(cause.getMessage());
        UnsupportedExportException e = detail.contains("compression method")
                // The JDK refuses at open any entry compressed other than stored or deflated.
                ? unsupportedCompression(detail)
                : new UnsupportedExportException(Reason.DAMAGED_ARCHIVE, "The zip archive cannot be read ("
                        + detail + "); it may be incomplete. Upload it again, or upload export.xml alone.");
        e.initCause(cause);
        return e;
    }

    private static UnsupportedExportException unsupportedCompression(String method) {
        return new UnsupportedExportException(Reason.UNSUPPORTED_COMPRESSION,
                "The zip archive is compressed with a method we cannot read (" + method + "; e.g. Deflate64 "
                        + "from Windows): upload the original export.zip from the phone, or export.xml alone.");
    }

    /** Checks every entry (count, names, declared sizes) and picks export.xml, the shortest path if several. */
    private static ZipEntry findExportXml(ZipFile zip, ArchiveLimits limits) throws ExportRejectedException {
        if (zip.size() > limits.maxEntries()) {
            throw tooManyEntries(zip.size(), limits);
        }
        ZipEntry chosen = null;
        long entries = 0;
        long declaredTotal = 0;
        Enumeration<? extends ZipEntry> all = zip.entries();
        while (all.hasMoreElements()) {
            ZipEntry entry = all.nextElement();
            entries++;
            if (entries > limits.maxEntries()) {
                throw tooManyEntries(entries, limits);
            }
            String name = entry.getName();
            if (!isSafeEntryName(name)) {
                throw new HostileArchiveException(Reason.UNSAFE_ENTRY_NAME,
                        "The archive contains an entry whose path points outside its folder ("
                                + printable(name) + "); it was refused.");
            }
            if (entry.getSize() > 0) {
                declaredTotal = saturatedAdd(declaredTotal, entry.getSize());
            }
            if (isExportXml(name) && (chosen == null || isPreferred(name, chosen.getName()))) {
                chosen = entry;
            }
        }
        if (declaredTotal > limits.maxUncompressedBytes()) {
            throw new HostileArchiveException(Reason.ZIP_BOMB, "The archive declares " + declaredTotal
                    + " bytes of content, more than the limit of " + limits.maxUncompressedBytes() + " bytes.");
        }
        if (chosen == null) {
            throw new UnsupportedExportException(Reason.NO_EXPORT_XML,
                    "The zip archive contains no export.xml: it is not an Apple Health export.");
        }
        return chosen;
    }

    private static HostileArchiveException tooManyEntries(long entries, ArchiveLimits limits) {
        return new HostileArchiveException(Reason.TOO_MANY_ENTRIES, "The archive has " + entries
                + " entries, more than the limit of " + limits.maxEntries() + ".");
    }

    /** {@code export.xml} itself or in any folder; not {@code export_cda.xml}, case-sensitive. */
    static boolean isExportXml(String name) {
        return name.equals(EXPORT_XML) || name.endsWith("/" + EXPORT_XML);
    }

    private static boolean isPreferred(String candidate, String current) {
        if (candidate.length() != current.length()) {
            return candidate.length() < current.length();
        }
        return candidate.compareTo(current) < 0;
    }

    /** False for absolute paths, drive letters, {@code ..} segments, backslashes and NULs. */
    static boolean isSafeEntryName(String name) {
        if (name.isEmpty() || name.charAt(0) == '/') {
            return false;
        }
        if (name.length() >= 2 && name.charAt(1) == ':' && Character.isLetter(name.charAt(0))) {
            return false;
        }
        if (name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            return false;
        }
        int segmentStart = 0;
        while (segmentStart <= name.length()) {
            int slash = name.indexOf('/', segmentStart);
            int segmentEnd = slash < 0 ? name.length() : slash;
            if (segmentEnd - segmentStart == 2 && name.startsWith("..", segmentStart)) {
                return false;
            }
            if (slash < 0) {
                break;
            }
            segmentStart = slash + 1;
        }
        return true;
    }

    static long maxInflatedBytes(long compressedSize, ArchiveLimits limits) {
        double byRatio = Math.max(RATIO_CHECK_FLOOR_BYTES, compressedSize * limits.maxCompressionRatio());
        return (long) Math.min(limits.maxUncompressedBytes(), byRatio);
    }

    private static String bombMessage(String entryName, long compressedSize, long maxInflated, ArchiveLimits limits) {
        return "The archive looks like a zip bomb: " + printable(entryName) + " (" + compressedSize
                + " compressed bytes) inflates to more than " + maxInflated + " bytes (limits: "
                + limits.maxUncompressedBytes() + " bytes, " + formatRatio(limits.maxCompressionRatio())
                + " times the compressed size).";
    }

    private static String formatRatio(double ratio) {
        return ratio == Math.rint(ratio) ? Long.toString((long) ratio) : Double.toString(ratio);
    }

    /** Entry names are attacker-chosen: no control characters and a bounded length in messages. */
    private static String printable(String name) {
        StringBuilder out = new StringBuilder();
        int limit = Math.min(name.length(), 200);
        for (int i = 0; i < limit; i++) {
            char c = name.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        if (name.length() > limit) {
            out.append("...");
        }
        return "'" + out + "'";
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static byte[] readHead(Path upload) throws IOException {
        try (InputStream in = Files.newInputStream(upload)) {
            return in.readNBytes(SNIFF_BYTES);
        }
    }

    /** A local file header, or the end record of an empty zip (refused later for lacking export.xml). */
    static boolean isZip(byte[] head) {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'K'
                && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
    }

    /** {@code <}, after an optional UTF-8 byte-order mark and whitespace. */
    static boolean isXml(byte[] head) {
        int i = 0;
        if (head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            i = 3;
        }
        while (i < head.length && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) {
            i++;
        }
        return i < head.length && head[i] == '<';
    }

    private static void closeQuietly(ZipFile zip, Exception failure) {
        try {
            zip.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
