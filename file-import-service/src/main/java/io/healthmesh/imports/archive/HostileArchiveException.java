package io.healthmesh.imports.archive;

/**
 * The archive looks built to hurt us (zip bomb, zip slip, entry flood). It is refused whole; when
 * raised while export.xml is being parsed, whatever was emitted before stays emitted.
 */
public final class HostileArchiveException extends ExportRejectedException {

    public HostileArchiveException(Reason reason, String userMessage) {
        super(reason, userMessage);
        if (!reason.hostile()) {
            throw new IllegalArgumentException(reason + " is not a hostile reason");
        }
    }
}
