package io.healthmesh.imports.archive;

/**
 * What an uploaded archive may cost us before we refuse it as hostile.
 *
 * @param maxEntries entries in the zip's central directory. Ten years of daily workout routes plus
 *     electrocardiograms and clinical records stay far below the default; the central directory is
 *     read whole by {@link java.util.zip.ZipFile} anyway and is bounded by the upload size
 * @param maxUncompressedBytes bytes the export.xml may inflate to, and the sum of every entry's
 *     declared size; the largest real exports reported are a few GB
 * @param maxCompressionRatio inflated bytes per compressed byte of export.xml; real exports
 *     compress about 14 times, a zip bomb hundreds to thousands of times
 */
public record ArchiveLimits(long maxEntries, long maxUncompressedBytes, double maxCompressionRatio) {

    public static final long DEFAULT_MAX_ENTRIES = 100_000;
    public static final long DEFAULT_MAX_UNCOMPRESSED_BYTES = 64L * 1024 * 1024 * 1024;
    public static final double DEFAULT_MAX_COMPRESSION_RATIO = 100;

    public ArchiveLimits {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive, was " + maxEntries);
        }
        if (maxUncompressedBytes < 1) {
            throw new IllegalArgumentException("maxUncompressedBytes must be positive, was " + maxUncompressedBytes);
        }
        if (!(maxCompressionRatio >= 1)) {
            throw new IllegalArgumentException("maxCompressionRatio must be at least 1, was " + maxCompressionRatio);
        }
    }

    public static ArchiveLimits defaults() {
        return new ArchiveLimits(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_UNCOMPRESSED_BYTES, DEFAULT_MAX_COMPRESSION_RATIO);
    }
}
