package io.healthmesh.contracts.identity;

import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * {@link Identity#appleSourceRecordId} for a stream of samples, such as one export being imported: the
 * same strings, cheaper when consecutive samples share their type, app and device.
 *
 * <p>An export lists its records in long runs of one type from one app and device, so the encoded
 * {@code hkType|app|device|} of the previous sample is kept and reused when the next one repeats those
 * three fields (three string comparisons instead of trimming, matching and percent-encoding them again
 * for every record). Only the last prefix is kept: memory stays constant whatever the file holds.
 *
 * <p>Not thread-safe: one instance per stream (per parse).
 */
public final class AppleSourceRecordIds {

    private boolean primed;
    private String lastType;
    private String lastApp;
    private String lastDevice;
    private char[] prefix;

    /** The same as {@link Identity#appleSourceRecordId} with the same arguments. */
    public String of(String hkType, String app, String device, OffsetDateTime start, OffsetDateTime end,
            OffsetDateTime creationDate) {
        return Identity.appleSourceRecordId(prefix(hkType, app, device), start, end, creationDate);
    }

    /**
     * The same as {@link Identity#appleSourceRecordId} with a creation date of that epoch second (any
     * offset, any fraction of that second): for a caller that has the instant without an
     * OffsetDateTime. A missing creation date takes the other method, with null.
     */
    public String of(String hkType, String app, String device, OffsetDateTime start, OffsetDateTime end,
            long creationEpochSecond) {
        return Identity.appleSourceRecordId(prefix(hkType, app, device), start, end, creationEpochSecond);
    }

    private char[] prefix(String hkType, String app, String device) {
        if (!primed || !Objects.equals(hkType, lastType) || !Objects.equals(app, lastApp)
                || !Objects.equals(device, lastDevice)) {
            prefix = Identity.appleFieldsPrefix(hkType, app, device);
            lastType = hkType;
            lastApp = app;
            lastDevice = device;
            primed = true;
        }
        return prefix;
    }
}
