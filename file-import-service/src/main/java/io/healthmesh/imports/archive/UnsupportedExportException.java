package io.healthmesh.imports.archive;

/** The upload is not an Apple Health export we can read: answer it as an unsupported file. */
public final class UnsupportedExportException extends ExportRejectedException {

    public UnsupportedExportException(Reason reason, String userMessage) {
        super(reason, userMessage);
        if (reason.hostile()) {
            throw new IllegalArgumentException(reason + " is a hostile reason");
        }
    }
}
