package io.healthmesh.gateway.domain;

/**
 * One reading of a push batch, as the client sent it. Times stay text here so that a time without
 * an offset is reported against its reading's index, not as an unreadable body.
 *
 * @param id the client's own id of the reading ({@code push}: its sourceRecordId; ignored for
 *     {@code apple_health}, whose identity is the sample's)
 * @param metric canonical metric code (contracts' vocabulary)
 * @param value the value in {@code unit}
 * @param unit a unit the vocabulary knows that fits the metric ({@code %} is 0-100, {@code fraction} 0-1)
 * @param start ISO-8601 with offset
 * @param end ISO-8601 with offset; equal to start for an instantaneous sample
 * @param zone IANA zone id where known
 * @param device the device that measured (an Apple HKDevice description is normalized as the
 *     export importer does)
 * @param app the app that wrote the value (Apple: the sample's sourceName)
 * @param hkType the HealthKit type identifier ({@code apple_health} only)
 * @param createdAt when the sample was saved in HealthKit, ISO-8601 with offset ({@code apple_health} only)
 * @param userEntered typed in by hand rather than measured
 * @param deleted a tombstone: remove what this identity wrote before
 */
public record PushReading(
        String id,
        String metric,
        Double value,
        String unit,
        String start,
        String end,
        String zone,
        String device,
        String app,
        String hkType,
        String createdAt,
        Boolean userEntered,
        Boolean deleted) {
}
