package io.healthmesh.imports.archive;

import java.io.IOException;

/**
 * An upload we refuse to read: either not an Apple Health export at all
 * ({@link UnsupportedExportException}) or an archive built to hurt us ({@link HostileArchiveException}).
 * The message is user-facing (it becomes the problem detail); {@link #reason()} is the stable code.
 *
 * <p>An {@link IOException} because the zip-bomb guard must be able to throw it from
 * {@link java.io.InputStream#read}, in the middle of parsing.
 */
public abstract class ExportRejectedException extends IOException {

    private final Reason reason;

    ExportRejectedException(Reason reason, String userMessage) {
        super(userMessage);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** Why an upload was refused; {@link #hostile()} separates "not ours" from "built to hurt us". */
    public enum Reason {
        /** Neither a zip nor an XML document. */
        NOT_AN_EXPORT(false),
        /** A zip without an {@code export.xml} entry. */
        NO_EXPORT_XML(false),
        /** A zip that cannot be read (no central directory, corrupt headers). */
        DAMAGED_ARCHIVE(false),
        /** export.xml is compressed with a method other than stored or deflate (e.g. Deflate64). */
        UNSUPPORTED_COMPRESSION(false),
        TOO_MANY_ENTRIES(true),
        /** An absolute path, a {@code ..} segment, a backslash or a NUL in an entry name (zip slip). */
        UNSAFE_ENTRY_NAME(true),
        /** Inflates beyond the size or ratio limit (zip bomb). */
        ZIP_BOMB(true);

        private final boolean hostile;

        Reason(boolean hostile) {
            this.hostile = hostile;
        }

        public boolean hostile() {
            return hostile;
        }
    }
}
