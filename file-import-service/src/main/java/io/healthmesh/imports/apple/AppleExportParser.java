package io.healthmesh.imports.apple;

import com.fasterxml.aalto.stax.InputFactoryImpl;
import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.event.SessionDetails;
import io.healthmesh.contracts.event.SessionType;
import io.healthmesh.contracts.event.SleepStage;
import io.healthmesh.contracts.identity.AppleSourceRecordIds;
import io.healthmesh.contracts.identity.Identity;
import io.healthmesh.contracts.vocab.Metric;
import io.healthmesh.contracts.vocab.Units;
import io.healthmesh.imports.apple.AppleTypes.Kind;
import io.healthmesh.imports.apple.AppleTypes.QuantityMapping;
import io.healthmesh.imports.archive.ExportRejectedException;
import io.healthmesh.imports.archive.ExportStream;
import io.healthmesh.imports.archive.ReadAheadInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipException;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;

/**
 * Streams an Apple Health {@code export.xml} into readings and sessions, handing each to an
 * {@link AppleExportHandler} as soon as it is complete. Memory does not grow with the file, except
 * for the sleep records, which are buffered (compactly) until the end of the document to be
 * assembled into nights.
 *
 * <h2>Mapping</h2>
 * <table>
 *   <caption>What each element becomes</caption>
 *   <tr><th>Apple element / type</th><th>becomes</th><th>aggregation / notes</th></tr>
 *   <tr><td>Record StepCount</td><td>{@code steps}</td><td>cumulative</td></tr>
 *   <tr><td>Record DistanceWalkingRunning, DistanceCycling, DistanceSwimming, DistanceWheelchair,
 *       DistanceDownhillSnowSports, DistanceCrossCountrySkiing, DistancePaddleSports, DistanceRowing,
 *       DistanceSkatingSports</td><td>{@code distance}</td><td>cumulative</td></tr>
 *   <tr><td>Record FlightsClimbed</td><td>{@code floors}</td><td>cumulative</td></tr>
 *   <tr><td>Record ActiveEnergyBurned / BasalEnergyBurned</td><td>{@code active_energy} /
 *       {@code basal_energy}</td><td>cumulative</td></tr>
 *   <tr><td>Record AppleExerciseTime</td><td>{@code exercise_time}</td><td>cumulative</td></tr>
 *   <tr><td>Record HeartRate</td><td>{@code heart_rate}</td><td>sample</td></tr>
 *   <tr><td>Record RestingHeartRate / WalkingHeartRateAverage</td><td>{@code resting_heart_rate} /
 *       {@code walking_heart_rate_average}</td><td>daily; localDate = the start's date in the zone</td></tr>
 *   <tr><td>Record HeartRateVariabilitySDNN</td><td>{@code hrv_sdnn}</td><td>sample (the beat-to-beat
 *       list inside is ignored)</td></tr>
 *   <tr><td>Record BloodPressureSystolic / Diastolic</td><td>{@code blood_pressure_systolic} /
 *       {@code _diastolic}</td><td>sample; from top-level records only</td></tr>
 *   <tr><td>Record VO2Max</td><td>{@code vo2_max}</td><td>sample</td></tr>
 *   <tr><td>Record OxygenSaturation</td><td>{@code oxygen_saturation}</td><td>sample; unit {@code %} sent
 *       as {@code fraction} (Apple's % is 0-1)</td></tr>
 *   <tr><td>Record RespiratoryRate</td><td>{@code respiratory_rate}</td><td>sample</td></tr>
 *   <tr><td>Record BodyTemperature, BasalBodyTemperature</td><td>{@code body_temperature}</td><td>sample</td></tr>
 *   <tr><td>Record AppleSleepingWristTemperature</td><td>{@code skin_temperature}</td><td>sample</td></tr>
 *   <tr><td>Record BloodGlucose</td><td>{@code blood_glucose}</td><td>sample; {@code mg/dL} or
 *       {@code mmol<180.15588000005408>/L} as found</td></tr>
 *   <tr><td>Record BodyMass / LeanBodyMass</td><td>{@code body_mass} / {@code lean_body_mass}</td><td>sample</td></tr>
 *   <tr><td>Record BodyFatPercentage</td><td>{@code body_fat_percentage}</td><td>sample; {@code %} sent as
 *       {@code fraction}</td></tr>
 *   <tr><td>Record BodyMassIndex / Height</td><td>{@code bmi} / {@code height}</td><td>sample</td></tr>
 *   <tr><td>Record DietaryEnergyConsumed, DietaryProtein, DietaryCarbohydrates, DietaryFatTotal,
 *       DietaryFatSaturated, DietaryFiber, DietarySugar, DietaryCholesterol, DietarySodium, DietaryPotassium,
 *       DietaryCalcium, DietaryIron, DietaryCaffeine, DietaryVitaminC, DietaryWater</td>
 *       <td>{@code dietary_energy}, {@code protein}, {@code carbohydrate}, {@code fat_total},
 *       {@code fat_saturated}, {@code fiber}, {@code sugar}, {@code cholesterol}, {@code sodium},
 *       {@code potassium}, {@code calcium}, {@code iron}, {@code caffeine}, {@code vitamin_c},
 *       {@code water}</td><td>cumulative</td></tr>
 *   <tr><td>Record AppleStandHour Stood (or 0)</td><td>{@code stand_hours} = 1 {@code count} over its
 *       hour</td><td>cumulative (so hours sum; the metric's default, daily, is ActivitySummary's)</td></tr>
 *   <tr><td>Record AppleStandHour Idle (or 1)</td><td>skipped "stand hour idle"</td><td>an idle hour adds
 *       nothing</td></tr>
 *   <tr><td>Record MindfulSession</td><td>mindfulness session</td><td></td></tr>
 *   <tr><td>Record SleepAnalysis</td><td>sleep or nap sessions with stage intervals</td><td>InBed (0)
 *       in_bed, Asleep / AsleepUnspecified (1) asleep_unspecified, Awake (2) awake, AsleepCore (3) light,
 *       AsleepDeep (4) deep, AsleepREM (5) rem; assembly and the nap rule in
 *       {@link SleepSessionAssembler}</td></tr>
 *   <tr><td>Record of any other type</td><td>skipped "unmapped type: &lt;type&gt;"</td><td>see
 *       {@link SkipReason}</td></tr>
 *   <tr><td>Record inside a Correlation</td><td>skipped "inside correlation"</td><td>the DTD says each
 *       also appears at top level, where it is imported once</td></tr>
 *   <tr><td>Correlation (BloodPressure, Food)</td><td>skipped "correlation"</td><td></td></tr>
 *   <tr><td>Workout</td><td>workout session</td><td>activityType: {@code HKWorkoutActivityType} removed,
 *       CamelCase to snake_case ({@code TraditionalStrengthTraining} becomes
 *       {@code traditional_strength_training}); distance (m), active energy (kcal) and heart rate (average,
 *       min, max) each from the workout's own WorkoutStatistics, else its totalDistance /
 *       totalEnergyBurned attributes (before iOS 16), else the sum over its WorkoutActivity
 *       statistics, never activity on top of workout; zone from its HKTimeZone</td></tr>
 *   <tr><td>ActivitySummary</td><td>{@code active_energy}, {@code exercise_time} (min),
 *       {@code stand_hours} (count)</td><td>daily, of their own (never added to the records they
 *       summarize); localDate = dateComponents; start and end = that date's midnights in the fallback
 *       zone (UTC without one); app "Activity", no device; sourceRecordId
 *       {@code ActivitySummary|<date>|<attribute>}; a day whose values are all zero or missing is
 *       skipped "empty activity summary"</td></tr>
 *   <tr><td>ExportDate, Me, ClinicalRecord, Audiogram, VisionPrescription, anything else</td>
 *       <td>skipped under their own name ("unknown element" for anything else)</td><td>WorkoutRoute,
 *       FileReference, WorkoutEvent and HeartRateVariabilityMetadataList inside imported elements are
 *       ignored silently</td></tr>
 * </table>
 *
 * <p>Every reading and session carries the import job id, {@code app} = sourceName, {@code device}
 * = the device string as {@link Identity#normalizeAppleDevice} normalizes it, {@code zone} = the
 * HKTimeZone metadata if it names an IANA zone, else the fallback zone (the user's home zone; the
 * offsets written in exports are the phone's at export time, not at recording time), start and end
 * with their written offsets, and {@code userEntered} from HKWasUserEntered (1 true, 0 false, absent
 * null). Units are passed as found (every one {@code Units} knows and that fits the metric, else the
 * record is skipped), except the fraction-valued {@code %}. The sourceRecordId of a sample is
 * {@link Identity#appleSourceRecordId} of (type, sourceName, device, start, end, creationDate), the
 * same as a phone push of that sample; workouts use the type {@value AppleTypes#WORKOUT}. A value
 * with a decimal comma is skipped rather than guessed.
 *
 * <h2>Hardening</h2>
 * The bytes go through {@link XmlSanitizingInputStream} (control characters and the DOCTYPE
 * removed), and the parser has DTD support, external entities and entity replacement off: an
 * entity reference (XXE, billion laughs) fails the parse as undeclared, nothing is fetched or
 * expanded.
 *
 * <h2>Threads</h2>
 * A parse runs on two threads: {@link ExportScanner} reads the bytes and the XML on a thread of its
 * own and hands the tags over in bounded batches; the calling thread maps them, calls the handler and
 * throws what ended the file early, exactly as if it had read the file itself (in document order,
 * after every element read before the failure). The scanning thread has ended when parse returns
 * or throws, so the caller may close the stream.
 *
 * <p>Not thread-safe; one parse at a time per instance.
 */
public final class AppleExportParser {

    static final String ACTIVITY_SUMMARY_APP = "Activity";

    private static final Set<String> IANA_ZONES = Set.copyOf(ZoneId.getAvailableZoneIds());
    private static final String WORKOUT_TYPE_PREFIX = "HKWorkoutActivityType";
    private static final String HK_TIME_ZONE = "HKTimeZone";
    private static final String HK_WAS_USER_ENTERED = "HKWasUserEntered";
    private static final Metric ACTIVE_ENERGY = AppleTypes.metric("active_energy");
    private static final Metric EXERCISE_TIME = AppleTypes.metric("exercise_time");
    private static final Metric STAND_HOURS = AppleTypes.metric(AppleTypes.STAND_HOURS_METRIC);
    /** Caches keyed by file content stop growing here; lookups past it are computed each time. */
    private static final int MAX_CACHE_ENTRIES = 4096;

    private enum Context { NONE, SKIP, RECORD, CORRELATION, WORKOUT }

    /** A unit's fate for one metric: the unit to send, or why the record is skipped. */
    private record UnitDecision(String unit, String skipReason) {
    }

    private final String importJobId;
    private final ZoneId fallbackZone;
    private final String fallbackZoneName;

    private final Map<String, String> normalizedDevices = new HashMap<>();
    private final Map<String, ZoneId> zones = new HashMap<>();
    private final Map<String, String> unmappedTypeKeys = new HashMap<>();
    private final Map<String, String> activityTypes = new HashMap<>();
    private final Map<QuantityMapping, Map<String, UnitDecision>> unitDecisions = new IdentityHashMap<>();
    // Records come in long runs of one type and one device: the last ones seen answer most lookups
    // with an equals, instead of hashing a fresh 40- or 130-character string per record.
    private String lastType;
    private Kind lastKind;
    private QuantityMapping lastMapping;
    private String lastRawDevice;
    private String lastNormalizedDevice;
    private QuantityMapping lastUnitMapping;
    private String lastUnit;
    private UnitDecision lastUnitDecision;
    private final AppleSourceRecordIds sampleIds = new AppleSourceRecordIds();

    private AppleExportHandler handler;
    private SleepSessionAssembler sleep;
    private long recordsRead;
    private long readings;
    private long sessions;
    private final Map<String, long[]> skipped = new HashMap<>();
    /** ActivitySummary values skipped as unusable, so a day of only those is not also called empty. */
    private long skippedFields;

    private Context context = Context.NONE;
    private boolean inWorkoutActivity;

    // The element being read; Strings as the parser gives them, reset at each top-level element.
    private String type;
    private Kind kind;
    private QuantityMapping mapping;
    private String sourceName;
    private String device;
    private String unit;
    private String value;
    private String creationDate;
    private String startDate;
    private String endDate;
    private String timeZone;
    private String wasUserEntered;
    private String workoutActivityType;
    private String totalDistance;
    private String totalDistanceUnit;
    private String totalEnergyBurned;
    private String totalEnergyBurnedUnit;
    private final WorkoutTotals workoutLevel = new WorkoutTotals();
    private final WorkoutTotals activityLevel = new WorkoutTotals();

    // The zone of the element being finished.
    private String zoneName;
    private ZoneId zoneId;

    /**
     * @param importJobId carried by every payload
     * @param fallbackZone the user's home zone, used when a record has no HKTimeZone; may be null
     */
    public AppleExportParser(String importJobId, ZoneId fallbackZone) {
        this.importJobId = importJobId;
        this.fallbackZone = fallbackZone;
        this.fallbackZoneName = fallbackZone != null && IANA_ZONES.contains(fallbackZone.getId())
                ? fallbackZone.getId() : null;
    }

    /**
     * Reads the whole document, calling the handler as it goes, and closes nothing.
     *
     * @throws MalformedExportException the XML is malformed or ends early, is not an Apple Health
     *     export, or the archive it comes from is damaged; what was emitted before stays emitted, and
     *     the sleep sessions of the records read so far are emitted before this is thrown
     * @throws IOException the byte source failed, e.g. {@link
     *     io.healthmesh.imports.archive.HostileArchiveException} from the zip-bomb guard
     */
    public ParseSummary parse(InputStream exportXml, AppleExportHandler handler)
            throws MalformedExportException, IOException {
        start(handler);
        // Inflating a zip's export.xml gets a thread of its own, beside the scan.
        ReadAheadInputStream inflated = exportXml instanceof ExportStream export && export.inflates()
                ? ReadAheadInputStream.start(exportXml) : null;
        XmlSanitizingInputStream input = new XmlSanitizingInputStream(inflated != null ? inflated : exportXml);
        // The XML is read on a second thread while this one maps what it read: see ExportScanner.
        ExportScanner scanner = ExportScanner.start(input);
        try {
            map(scanner, input);
        } finally {
            scanner.stop();
            if (inflated != null) {
                inflated.stop();
            }
        }
        sleep.finish(this::emitSession);
        return progress();
    }

    /**
     * The counts so far; from the parsing thread (e.g. inside a handler callback) or after a parse.
     * It copies the skip counters: fine once a second for progress, wasteful once per record.
     */
    public ParseSummary progress() {
        Map<String, Long> counts = new HashMap<>();
        skipped.forEach((reason, count) -> counts.put(reason, count[0]));
        return new ParseSummary(recordsRead, readings, sessions, counts);
    }

    private void start(AppleExportHandler handler) {
        this.handler = handler;
        this.sleep = new SleepSessionAssembler(importJobId);
        recordsRead = 0;
        readings = 0;
        sessions = 0;
        skipped.clear();
        skippedFields = 0;
        context = Context.NONE;
        inWorkoutActivity = false;
    }

    static XMLInputFactory createFactory() {
        XMLInputFactory factory = new InputFactoryImpl();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
        factory.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external entities are not supported (" + systemId + ")");
        });
        return factory;
    }

    /** Maps the scanned elements in document order; throws what ended the scan, after the elements before it. */
    private void map(ExportScanner scanner, XmlSanitizingInputStream input)
            throws MalformedExportException, IOException {
        while (true) {
            ElementBatch batch = scanner.next();
            for (int i = 0; i < batch.size(); i++) {
                batch.moveTo(i);
                if (batch.isStart()) {
                    startElement(batch, batch.level());
                } else {
                    endElement(batch.level());
                }
            }
            if (batch.isLast()) {
                Throwable failure = batch.failure();
                if (failure != null) {
                    throw scanFailure(failure, input, batch.failureLine(), batch.failureColumn());
                }
                return;
            }
            scanner.recycle(batch);
        }
    }

    /** The root element was checked by the scanner; deeper levels are what the mapping cares about. */
    private void startElement(ElementBatch element, int level) {
        switch (level) {
            case 1 -> startTopLevel(element);
            case 2 -> startChild(element);
            case 3 -> {
                if (context == Context.WORKOUT && inWorkoutActivity && "WorkoutStatistics".equals(element.name())) {
                    addStatistics(element, activityLevel);
                }
            }
            default -> {
                // The root; deeper elements carry nothing we import (nor does the scanner forward them).
            }
        }
    }

    private void endElement(int level) {
        if (level == 1) {
            Context finished = context;
            context = Context.NONE;
            if (finished == Context.RECORD) {
                finishRecord();
            } else if (finished == Context.WORKOUT) {
                finishWorkout();
            }
        } else if (level == 2) {
            inWorkoutActivity = false;
        }
    }

    private void startTopLevel(ElementBatch element) {
        recordsRead++;
        String name = element.name();
        switch (name) {
            case "Record" -> startRecord(element);
            case "Correlation" -> {
                skip(SkipReason.CORRELATION);
                context = Context.CORRELATION;
            }
            case "Workout" -> startWorkout(element);
            case "ActivitySummary" -> {
                activitySummary(element);
                context = Context.SKIP;
            }
            case "ExportDate" -> skipElement(SkipReason.EXPORT_DATE);
            case "Me" -> skipElement(SkipReason.ME);
            case "ClinicalRecord" -> skipElement(SkipReason.CLINICAL_RECORD);
            case "Audiogram" -> skipElement(SkipReason.AUDIOGRAM);
            case "VisionPrescription" -> skipElement(SkipReason.VISION_PRESCRIPTION);
            default -> skipElement(SkipReason.UNKNOWN_ELEMENT);
        }
    }

    private void startChild(ElementBatch element) {
        switch (context) {
            case RECORD -> {
                if ("MetadataEntry".equals(element.name())) {
                    readMetadata(element);
                }
            }
            case CORRELATION -> {
                if ("Record".equals(element.name())) {
                    skip(SkipReason.INSIDE_CORRELATION);
                }
            }
            case WORKOUT -> {
                switch (element.name()) {
                    case "MetadataEntry" -> readMetadata(element);
                    case "WorkoutStatistics" -> addStatistics(element, workoutLevel);
                    case "WorkoutActivity" -> inWorkoutActivity = true;
                    default -> {
                        // WorkoutEvent, WorkoutRoute: nothing a session carries.
                    }
                }
            }
            default -> {
                // Children of skipped elements.
            }
        }
    }

    private void skipElement(String reason) {
        skip(reason);
        context = Context.SKIP;
    }

    private void clearElement() {
        type = null;
        kind = null;
        mapping = null;
        sourceName = null;
        device = null;
        unit = null;
        value = null;
        creationDate = null;
        startDate = null;
        endDate = null;
        timeZone = null;
        wasUserEntered = null;
    }

    // ---- Record ----

    private void startRecord(ElementBatch element) {
        clearElement();
        int count = element.attributeCount();
        for (int i = 0; i < count; i++) {
            // By length first, then equals: a string switch hashes the name for every attribute of
            // every record (a measurable share of the parse), and these names differ in length
            // except type/unit.
            String name = element.attributeName(i);
            switch (name.length()) {
                case 4 -> {
                    if ("type".equals(name)) {
                        type = element.attributeValue(i);
                    } else if ("unit".equals(name)) {
                        unit = element.attributeValue(i);
                    }
                }
                case 5 -> {
                    if ("value".equals(name)) {
                        value = element.attributeValue(i);
                    }
                }
                case 6 -> {
                    if ("device".equals(name)) {
                        device = element.attributeValue(i);
                    }
                }
                case 7 -> {
                    if ("endDate".equals(name)) {
                        endDate = element.attributeValue(i);
                    }
                }
                case 9 -> {
                    if ("startDate".equals(name)) {
                        startDate = element.attributeValue(i);
                    }
                }
                case 10 -> {
                    if ("sourceName".equals(name)) {
                        sourceName = element.attributeValue(i);
                    }
                }
                case 12 -> {
                    if ("creationDate".equals(name)) {
                        creationDate = element.attributeValue(i);
                    }
                }
                default -> {
                    // sourceVersion and anything newer.
                }
            }
        }
        if (type == null) {
            skipElement(SkipReason.MISSING_TYPE);
            return;
        }
        if (!type.equals(lastType)) {
            lastType = type;
            lastKind = AppleTypes.kindOf(type);
            lastMapping = lastKind == Kind.QUANTITY ? AppleTypes.quantity(type) : null;
        }
        kind = lastKind;
        mapping = lastMapping;
        if (kind == null) {
            skipElement(unmappedTypeKey(type));
            return;
        }
        context = Context.RECORD;
    }

    private void readMetadata(ElementBatch element) {
        String key = null;
        String metadataValue = null;
        int count = element.attributeCount();
        for (int i = 0; i < count; i++) {
            String name = element.attributeName(i);
            if ("key".equals(name)) {
                key = element.attributeValue(i);
            } else if ("value".equals(name)) {
                metadataValue = element.attributeValue(i);
            }
        }
        if (HK_TIME_ZONE.equals(key)) {
            timeZone = metadataValue;
        } else if (HK_WAS_USER_ENTERED.equals(key)) {
            wasUserEntered = metadataValue;
        }
    }

    private void finishRecord() {
        OffsetDateTime start = AppleDates.parse(startDate);
        // Instantaneous samples (heart rate, a third of a typical export) write the same start and end.
        OffsetDateTime end = endDate != null && endDate.equals(startDate) ? start : AppleDates.parse(endDate);
        if (start == null || end == null) {
            skip(SkipReason.UNPARSEABLE_DATE);
            return;
        }
        if (start.isAfter(end)) {
            skip(SkipReason.END_BEFORE_START);
            return;
        }
        resolveZone(timeZone);
        String normalizedDevice = normalizeDevice(device);
        switch (kind) {
            case QUANTITY -> quantity(mapping, start, end, normalizedDevice);
            case STAND_HOUR -> standHour(start, end, normalizedDevice);
            case MINDFUL -> emitSession(Session.builder()
                    .sourceRecordId(sampleId(start, end, normalizedDevice))
                    .type(SessionType.MINDFULNESS)
                    .start(start)
                    .end(end)
                    .zone(zoneName)
                    .device(normalizedDevice)
                    .app(sourceName)
                    .importJobId(importJobId)
                    .build());
            case SLEEP -> {
                SleepStage stage = AppleTypes.sleepStage(value);
                if (stage == null) {
                    skip(SkipReason.UNKNOWN_CATEGORY_VALUE);
                } else {
                    sleep.add(sourceName, normalizedDevice, stage, start, end, zoneName, zoneId, this::emitSession);
                }
            }
            default -> throw new IllegalStateException("unhandled kind " + kind);
        }
    }

    private void quantity(QuantityMapping mapping, OffsetDateTime start, OffsetDateTime end, String normalizedDevice) {
        if (value == null) {
            skip(SkipReason.MISSING_VALUE);
            return;
        }
        if (AppleNumbers.hasDecimalComma(value)) {
            skip(SkipReason.DECIMAL_COMMA);
            return;
        }
        double number = AppleNumbers.parse(value);
        if (Double.isNaN(number)) {
            skip(SkipReason.UNPARSEABLE_VALUE);
            return;
        }
        UnitDecision decision = unitDecision(mapping, unit);
        if (decision.skipReason() != null) {
            skip(decision.skipReason());
            return;
        }
        LocalDate localDate = mapping.aggregation() == Aggregation.DAILY ? localDate(start) : null;
        emitReading(Reading.builder()
                .sourceRecordId(sampleId(start, end, normalizedDevice))
                .metric(mapping.metric().code())
                .value(number)
                .unit(decision.unit())
                .aggregation(mapping.aggregation())
                .start(start)
                .end(end)
                .localDate(localDate)
                .zone(zoneName)
                .device(normalizedDevice)
                .app(sourceName)
                .userEntered(userEntered())
                .importJobId(importJobId)
                .build());
    }

    private void standHour(OffsetDateTime start, OffsetDateTime end, String normalizedDevice) {
        // HealthKit's numeric values: stood 0, idle 1.
        if (AppleTypes.IDLE.equals(value) || "1".equals(value)) {
            skip(SkipReason.STAND_HOUR_IDLE);
            return;
        }
        if (!AppleTypes.STOOD.equals(value) && !"0".equals(value)) {
            skip(SkipReason.UNKNOWN_CATEGORY_VALUE);
            return;
        }
        emitReading(Reading.builder()
                .sourceRecordId(sampleId(start, end, normalizedDevice))
                .metric(STAND_HOURS.code())
                .value(1.0)
                .unit(Units.COUNT)
                .aggregation(Aggregation.CUMULATIVE)
                .start(start)
                .end(end)
                .zone(zoneName)
                .device(normalizedDevice)
                .app(sourceName)
                .userEntered(userEntered())
                .importJobId(importJobId)
                .build());
    }

    private String sampleId(OffsetDateTime start, OffsetDateTime end, String normalizedDevice) {
        // The device is already normalized; normalizing is idempotent, and the raw string would cost a
        // regex per record (AppleExportParserTest checks both give the same id).
        // The creation date serves only the identity: its epoch second, without an OffsetDateTime.
        long created = AppleDates.epochSecond(creationDate);
        return created == AppleDates.ABSENT ? sampleIds.of(type, sourceName, normalizedDevice, start, end, null)
                : sampleIds.of(type, sourceName, normalizedDevice, start, end, created);
    }

    private Boolean userEntered() {
        if ("1".equals(wasUserEntered)) {
            return Boolean.TRUE;
        }
        return "0".equals(wasUserEntered) ? Boolean.FALSE : null;
    }

    private LocalDate localDate(OffsetDateTime start) {
        return zoneId == null ? start.toLocalDate() : start.atZoneSameInstant(zoneId).toLocalDate();
    }

    private UnitDecision unitDecision(QuantityMapping mapping, String rawUnit) {
        if (rawUnit == null) {
            return new UnitDecision(null, SkipReason.UNKNOWN_UNIT);
        }
        // A run of one type has one unit: an equals on a short string instead of hashing a fresh one
        // and two map lookups per record.
        if (mapping == lastUnitMapping && rawUnit.equals(lastUnit)) {
            return lastUnitDecision;
        }
        Map<String, UnitDecision> byUnit = unitDecisions.computeIfAbsent(mapping, key -> new HashMap<>());
        UnitDecision decision = byUnit.get(rawUnit);
        if (decision == null) {
            decision = decideUnit(mapping, rawUnit);
            if (byUnit.size() < MAX_CACHE_ENTRIES) {
                byUnit.put(rawUnit, decision);
            }
        }
        lastUnitMapping = mapping;
        lastUnit = rawUnit;
        lastUnitDecision = decision;
        return decision;
    }

    private static UnitDecision decideUnit(QuantityMapping mapping, String rawUnit) {
        if (mapping.fractionPercent() && Units.PERCENT.equals(rawUnit.trim())) {
            return new UnitDecision(Units.FRACTION, null);
        }
        if (!Units.isKnown(rawUnit)) {
            return new UnitDecision(null, SkipReason.UNKNOWN_UNIT);
        }
        if (!Units.convertible(rawUnit, mapping.metric().canonicalUnit())) {
            return new UnitDecision(null, SkipReason.UNIT_DOES_NOT_FIT);
        }
        return new UnitDecision(rawUnit, null);
    }

    // ---- Workout ----

    private void startWorkout(ElementBatch element) {
        clearElement();
        workoutActivityType = null;
        totalDistance = null;
        totalDistanceUnit = null;
        totalEnergyBurned = null;
        totalEnergyBurnedUnit = null;
        workoutLevel.clear();
        activityLevel.clear();
        inWorkoutActivity = false;
        int count = element.attributeCount();
        for (int i = 0; i < count; i++) {
            switch (element.attributeName(i)) {
                case "workoutActivityType" -> workoutActivityType = element.attributeValue(i);
                case "sourceName" -> sourceName = element.attributeValue(i);
                case "device" -> device = element.attributeValue(i);
                case "creationDate" -> creationDate = element.attributeValue(i);
                case "startDate" -> startDate = element.attributeValue(i);
                case "endDate" -> endDate = element.attributeValue(i);
                case "totalDistance" -> totalDistance = element.attributeValue(i);
                case "totalDistanceUnit" -> totalDistanceUnit = element.attributeValue(i);
                case "totalEnergyBurned" -> totalEnergyBurned = element.attributeValue(i);
                case "totalEnergyBurnedUnit" -> totalEnergyBurnedUnit = element.attributeValue(i);
                default -> {
                    // duration (the session has start and end), sourceVersion.
                }
            }
        }
        context = Context.WORKOUT;
    }

    private static void addStatistics(ElementBatch element, WorkoutTotals totals) {
        String statisticType = null;
        String statisticUnit = null;
        String sum = null;
        String average = null;
        String minimum = null;
        String maximum = null;
        String statisticStart = null;
        String statisticEnd = null;
        int count = element.attributeCount();
        for (int i = 0; i < count; i++) {
            switch (element.attributeName(i)) {
                case "type" -> statisticType = element.attributeValue(i);
                case "unit" -> statisticUnit = element.attributeValue(i);
                case "sum" -> sum = element.attributeValue(i);
                case "average" -> average = element.attributeValue(i);
                case "minimum" -> minimum = element.attributeValue(i);
                case "maximum" -> maximum = element.attributeValue(i);
                case "startDate" -> statisticStart = element.attributeValue(i);
                case "endDate" -> statisticEnd = element.attributeValue(i);
                default -> {
                    // Anything newer.
                }
            }
        }
        totals.add(statisticType, statisticUnit, sum, average, minimum, maximum, statisticStart, statisticEnd);
    }

    private void finishWorkout() {
        OffsetDateTime start = AppleDates.parse(startDate);
        OffsetDateTime end = AppleDates.parse(endDate);
        if (start == null || end == null) {
            skip(SkipReason.UNPARSEABLE_DATE);
            return;
        }
        if (start.isAfter(end)) {
            skip(SkipReason.END_BEFORE_START);
            return;
        }
        resolveZone(timeZone);
        String normalizedDevice = normalizeDevice(device);
        Double distance = firstPresent(workoutLevel.distanceMeters(),
                WorkoutTotals.attributeTotal(totalDistance, totalDistanceUnit, Units.METRE),
                activityLevel.distanceMeters());
        Double energy = firstPresent(workoutLevel.energyKcal(),
                WorkoutTotals.attributeTotal(totalEnergyBurned, totalEnergyBurnedUnit, Units.KILOCALORIE),
                activityLevel.energyKcal());
        SessionDetails details = SessionDetails.builder()
                .activityType(activityType(workoutActivityType))
                .distanceMeters(distance)
                .energyKcal(energy)
                .heartRate(workoutLevel.heartRate() != null ? workoutLevel.heartRate() : activityLevel.heartRate())
                .build();
        emitSession(Session.builder()
                .sourceRecordId(sampleIds.of(AppleTypes.WORKOUT, sourceName, normalizedDevice, start, end,
                        AppleDates.parse(creationDate)))
                .type(SessionType.WORKOUT)
                .start(start)
                .end(end)
                .zone(zoneName)
                .device(normalizedDevice)
                .app(sourceName)
                .details(details)
                .importJobId(importJobId)
                .build());
    }

    private static Double firstPresent(Double first, Double second, Double third) {
        if (first != null) {
            return first;
        }
        return second != null ? second : third;
    }

    /** {@code HKWorkoutActivityTypeTraditionalStrengthTraining} becomes {@code traditional_strength_training}. */
    private String activityType(String raw) {
        if (raw == null) {
            return null;
        }
        String cached = activityTypes.get(raw);
        if (cached == null) {
            cached = snakeCase(raw.startsWith(WORKOUT_TYPE_PREFIX) ? raw.substring(WORKOUT_TYPE_PREFIX.length()) : raw);
            if (activityTypes.size() < MAX_CACHE_ENTRIES) {
                activityTypes.put(raw, cached);
            }
        }
        return cached.isEmpty() ? null : cached;
    }

    static String snakeCase(String camel) {
        StringBuilder out = new StringBuilder(camel.length() + 8);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean wordStart = i > 0 && (Character.isLowerCase(camel.charAt(i - 1))
                        || Character.isDigit(camel.charAt(i - 1))
                        || i + 1 < camel.length() && Character.isLowerCase(camel.charAt(i + 1))
                        && Character.isUpperCase(camel.charAt(i - 1)));
                if (wordStart) {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    // ---- ActivitySummary ----

    private void activitySummary(ElementBatch element) {
        String dateComponents = null;
        String activeEnergy = null;
        String activeEnergyUnit = null;
        String exerciseTime = null;
        String standHours = null;
        int count = element.attributeCount();
        for (int i = 0; i < count; i++) {
            switch (element.attributeName(i)) {
                case "dateComponents" -> dateComponents = element.attributeValue(i);
                case "activeEnergyBurned" -> activeEnergy = element.attributeValue(i);
                case "activeEnergyBurnedUnit" -> activeEnergyUnit = element.attributeValue(i);
                case "appleExerciseTime" -> exerciseTime = element.attributeValue(i);
                case "appleStandHours" -> standHours = element.attributeValue(i);
                default -> {
                    // Goals and move minutes: no metric.
                }
            }
        }
        LocalDate date = parseLocalDate(dateComponents);
        if (date == null) {
            skip(SkipReason.UNPARSEABLE_DATE);
            return;
        }
        long skippedBefore = skippedFields;
        double energy = summaryValue(activeEnergy);
        if (!Double.isNaN(energy)) {
            String unitProblem = activeEnergyUnit == null || !Units.isKnown(activeEnergyUnit) ? SkipReason.UNKNOWN_UNIT
                    : !Units.convertible(activeEnergyUnit, ACTIVE_ENERGY.canonicalUnit()) ? SkipReason.UNIT_DOES_NOT_FIT
                    : null;
            if (unitProblem != null) {
                skipField(unitProblem);
                energy = Double.NaN;
            }
        }
        double exercise = summaryValue(exerciseTime);
        double stand = summaryValue(standHours);
        if (!isNonZero(energy) && !isNonZero(exercise) && !isNonZero(stand)) {
            if (skippedFields == skippedBefore) {
                skip(SkipReason.EMPTY_ACTIVITY_SUMMARY);
            }
            return;
        }
        ZoneId dayZone = fallbackZone != null ? fallbackZone : ZoneOffset.UTC;
        OffsetDateTime dayStart = date.atStartOfDay(dayZone).toOffsetDateTime();
        OffsetDateTime dayEnd = date.plusDays(1).atStartOfDay(dayZone).toOffsetDateTime();
        String day = date.toString();
        summaryReading(ACTIVE_ENERGY, "activeEnergyBurned", energy, activeEnergyUnit, day, date, dayStart, dayEnd);
        summaryReading(EXERCISE_TIME, "appleExerciseTime", exercise, Units.MINUTE, day, date, dayStart, dayEnd);
        summaryReading(STAND_HOURS, "appleStandHours", stand, Units.COUNT, day, date, dayStart, dayEnd);
    }

    /** The value, or NaN when missing or unusable (counted as skipped unless simply missing). */
    private double summaryValue(String text) {
        if (text == null) {
            return Double.NaN;
        }
        if (AppleNumbers.hasDecimalComma(text)) {
            skipField(SkipReason.DECIMAL_COMMA);
            return Double.NaN;
        }
        double number = AppleNumbers.parse(text);
        if (Double.isNaN(number)) {
            skipField(SkipReason.UNPARSEABLE_VALUE);
        }
        return number;
    }

    private void skipField(String reason) {
        skippedFields++;
        skip(reason);
    }

    private static boolean isNonZero(double number) {
        return !Double.isNaN(number) && number != 0;
    }

    private void summaryReading(Metric metric, String attribute, double number, String summaryUnit, String day,
            LocalDate date, OffsetDateTime dayStart, OffsetDateTime dayEnd) {
        if (Double.isNaN(number)) {
            return;
        }
        emitReading(Reading.builder()
                .sourceRecordId("ActivitySummary|" + Identity.encodeField(day) + "|" + Identity.encodeField(attribute))
                .metric(metric.code())
                .value(number)
                .unit(summaryUnit)
                .aggregation(Aggregation.DAILY)
                .start(dayStart)
                .end(dayEnd)
                .localDate(date)
                .zone(fallbackZoneName)
                .app(ACTIVITY_SUMMARY_APP)
                .importJobId(importJobId)
                .build());
    }

    private static LocalDate parseLocalDate(String text) {
        if (text == null || text.length() != 10) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    // ---- Shared ----

    private void resolveZone(String hkTimeZone) {
        if (hkTimeZone != null) {
            ZoneId zone = zones.get(hkTimeZone);
            if (zone == null && IANA_ZONES.contains(hkTimeZone)) {
                zone = ZoneId.of(hkTimeZone);
                zones.put(hkTimeZone, zone);
            }
            if (zone != null) {
                zoneName = hkTimeZone;
                zoneId = zone;
                return;
            }
        }
        zoneName = fallbackZoneName;
        zoneId = fallbackZone;
    }

    private String normalizeDevice(String raw) {
        if (raw == null) {
            return null;
        }
        if (raw.equals(lastRawDevice)) {
            return lastNormalizedDevice;
        }
        String normalized = normalizedDevices.get(raw);
        if (normalized == null) {
            normalized = Identity.normalizeAppleDevice(raw);
            if (normalizedDevices.size() < MAX_CACHE_ENTRIES) {
                normalizedDevices.put(raw, normalized);
            }
        }
        lastRawDevice = raw;
        lastNormalizedDevice = normalized;
        return normalized;
    }

    private String unmappedTypeKey(String hkType) {
        String key = unmappedTypeKeys.get(hkType);
        if (key == null) {
            if (unmappedTypeKeys.size() >= SkipReason.MAX_UNMAPPED_TYPE_KEYS) {
                return SkipReason.UNMAPPED_TYPE_OTHER;
            }
            key = SkipReason.unmappedType(hkType);
            unmappedTypeKeys.put(hkType, key);
        }
        return key;
    }

    private void skip(String reason) {
        long[] count = skipped.get(reason);
        if (count == null) {
            count = new long[1];
            skipped.put(reason, count);
        }
        count[0]++;
        handler.skipped(reason);
    }

    private void emitReading(Reading reading) {
        readings++;
        handler.reading(reading);
    }

    private void emitSession(Session session) {
        sessions++;
        handler.session(session);
    }

    // ---- Errors ----

    /**
     * What ended the scan, as the parse reports it: malformed XML as a {@link MalformedExportException}
     * (returned, for the caller to throw), the byte source's failure and anything else thrown as it was.
     */
    private MalformedExportException scanFailure(Throwable failure, XmlSanitizingInputStream input, int line,
            int column) throws IOException {
        if (failure instanceof XMLStreamException e) {
            return malformed(e, input, line, column);
        }
        if (failure instanceof IOException e) {
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("the export scan failed", failure);
    }

    private MalformedExportException malformed(XMLStreamException e, XmlSanitizingInputStream input, int line,
            int column) throws IOException {
        IOException sourceFailure = input.sourceFailure();
        String problem;
        if (e.getCause() instanceof XmlSanitizingInputStream.TagTooLongException tooLong) {
            problem = tooLong.getMessage();
        } else if (sourceFailure != null) {
            if (sourceFailure instanceof ExportRejectedException || !isDamagedArchive(sourceFailure)) {
                throw sourceFailure;
            }
            problem = "the archive ends early or is damaged (" + sourceFailure.getMessage() + ")";
        } else {
            problem = withoutLocation(e.getMessage());
        }
        // Keep what was parsed: the nights read so far become sessions too.
        sleep.finish(this::emitSession);
        return new MalformedExportException(problem, line, column, progress(), e);
    }

    private static boolean isDamagedArchive(IOException failure) {
        return failure instanceof ZipException || failure instanceof EOFException;
    }

    /** Aalto appends "at [row,col {unknown-source}]: [l,c]", which the exception says better. */
    private static String withoutLocation(String message) {
        if (message == null) {
            return "unreadable XML";
        }
        int at = message.indexOf("\n at [row,col");
        return printable(at >= 0 ? message.substring(0, at) : message);
    }

    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        int limit = Math.min(text.length(), 300);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        return out.toString().trim();
    }
}
