package io.healthmesh.contracts.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdentityTest {

    private static final UUID NAMESPACE_DNS = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
    private static final String WATCH =
            "name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:9.1";

    @Test
    void uuidV5MatchesThePublishedDnsExample() {
        // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "www.example.com")
        UUID uuid = Identity.uuidV5(NAMESPACE_DNS, "www.example.com");

        assertEquals(UUID.fromString("2ed6657d-e927-568b-95e1-2665a8aea6a2"), uuid);
        assertEquals(5, uuid.version());
        assertEquals(2, uuid.variant());
    }

    @Test
    void eventIdMatchesAnIndependentComputation() {
        // Python: uuid.uuid5(NAMESPACE, "user-7f3a|withings|5172843901|heart_rate")
        assertEquals(UUID.fromString("aaf0a928-14c7-5409-8ddd-5c4b2934c1eb"),
                Identity.eventId("user-7f3a", "withings", "5172843901", "heart_rate"));
        assertEquals(Identity.uuidV5(Identity.NAMESPACE, "user-7f3a|withings|5172843901|heart_rate"),
                Identity.eventId("user-7f3a", "withings", "5172843901", "heart_rate"));
    }

    @Test
    void eventIdIsTheUuidV5OfThePercentEncodedJoinedFieldsWhateverTheCharacters() {
        String[][] cases = {
            {"user-1", "apple_health", "HKQuantityTypeIdentifierStepCount|Maya’s iPhone|name:iPhone|2023-04-01T14:15:32Z",
                "steps"},
            {"u|1%", "csv", "a%b|c%7Cd", "fat_total"},
            {"ünïcödé-用户", "push", "emoji 🏃‍♀️ run|x", null},
            {"broken\uD83D", "oura", "lone \uDC00 low", "heart_rate"},
            {"", "withings", "", ""},
        };
        for (String[] c : cases) {
            String metric = c[3] == null ? "*" : Identity.encodeField(c[3]);
            String plain = Identity.encodeField(c[0]) + "|" + Identity.encodeField(c[1]) + "|"
                    + Identity.encodeField(c[2]) + "|" + metric;
            assertEquals(Identity.uuidV5(Identity.NAMESPACE, plain), Identity.eventId(c[0], c[1], c[2], c[3]),
                    String.join(" / ", String.valueOf(c[0]), c[1], c[2], String.valueOf(c[3])));
        }
    }

    @Test
    void eventIdIsDeterministicAndDependsOnEveryField() {
        UUID id = Identity.eventId("u1", "withings", "123", "body_mass");

        assertEquals(id, Identity.eventId("u1", "withings", "123", "body_mass"));
        assertNotEquals(id, Identity.eventId("u1", "withings", "123", "fat_mass"));
        assertNotEquals(id, Identity.eventId("u2", "withings", "123", "body_mass"));
        assertNotEquals(id, Identity.eventId("u1", "oura", "123", "body_mass"));
        assertNotEquals(id, Identity.eventId("u1", "withings", "124", "body_mass"));
    }

    @Test
    void tombstoneWithoutMetricUsesTheStarMarker() {
        assertEquals(Identity.uuidV5(Identity.NAMESPACE, "u1|withings|123|*"),
                Identity.eventId("u1", "withings", "123", null));
        assertNotEquals(Identity.eventId("u1", "withings", "123", null),
                Identity.eventId("u1", "withings", "123", "body_mass"));
    }

    @Test
    void sessionEventIdUsesTheSessionMarker() {
        assertEquals(Identity.uuidV5(Identity.NAMESPACE, "u1|oura|abc|session"),
                Identity.sessionEventId("u1", "oura", "abc"));
    }

    @Test
    void pipeInsideAFieldCannotPassForTwoFields() {
        UUID pipeInUser = Identity.eventId("a|b", "csv", "c", "steps");
        UUID pipeInRecord = Identity.eventId("a", "csv", "b|c", "steps");

        assertNotEquals(pipeInUser, pipeInRecord);
        assertEquals(Identity.uuidV5(Identity.NAMESPACE, "a%7Cb|csv|c|steps"), pipeInUser);
    }

    @Test
    void percentIsEncodedBeforePipeSoEscapesStayUnambiguous() {
        assertEquals("100%25", Identity.encodeField("100%"));
        assertEquals("a%7Cb", Identity.encodeField("a|b"));
        // A literal "%7C" must not read as an encoded pipe.
        assertEquals("a%257Cb", Identity.encodeField("a%7Cb"));
        assertNotEquals(Identity.encodeField("a%7Cb"), Identity.encodeField("a|b"));
        assertEquals("", Identity.encodeField(null));
    }

    @Test
    void appleIdIgnoresTheDeviceAddressAndTheWrittenOffset() {
        String first = Identity.appleSourceRecordId("HKQuantityTypeIdentifierHeartRate", "Anna\u2019s Apple Watch",
                "<<HKDevice: 0x283735e00>, " + WATCH + ">",
                OffsetDateTime.parse("2024-03-10T08:00:00+01:00"),
                OffsetDateTime.parse("2024-03-10T08:00:00+01:00"),
                OffsetDateTime.parse("2024-03-10T08:01:12+01:00"));
        String second = Identity.appleSourceRecordId("HKQuantityTypeIdentifierHeartRate", "Anna\u2019s Apple Watch",
                "<<HKDevice: 0x600001a4c2d0>, " + WATCH + ">",
                OffsetDateTime.parse("2024-03-10T02:00:00-05:00"),
                OffsetDateTime.parse("2024-03-10T07:00:00Z"),
                OffsetDateTime.parse("2024-03-09T23:01:12-08:00"));

        assertEquals(first, second);
        assertEquals("HKQuantityTypeIdentifierHeartRate|Anna\u2019s Apple Watch|" + WATCH
                + "|2024-03-10T07:00:00Z|2024-03-10T07:00:00Z|2024-03-10T07:01:12Z", first);
    }

    @Test
    void appleIdTruncatesSubSeconds() {
        String withFraction = Identity.appleSourceRecordId("HKQuantityTypeIdentifierStepCount", "iPhone", null,
                OffsetDateTime.parse("2024-03-10T07:00:00.987Z"),
                OffsetDateTime.parse("2024-03-10T07:10:00.001Z"),
                null);

        assertEquals("HKQuantityTypeIdentifierStepCount|iPhone||2024-03-10T07:00:00Z|2024-03-10T07:10:00Z|",
                withFraction);
    }

    @Test
    void appleIdDiffersWhenTheSampleDiffers() {
        OffsetDateTime start = OffsetDateTime.parse("2024-03-10T07:00:00Z");
        OffsetDateTime end = OffsetDateTime.parse("2024-03-10T07:10:00Z");
        String watch = Identity.appleSourceRecordId("HKQuantityTypeIdentifierStepCount", "Watch", WATCH, start, end, null);

        assertNotEquals(watch, Identity.appleSourceRecordId(
                "HKQuantityTypeIdentifierStepCount", "iPhone", WATCH, start, end, null));
        assertNotEquals(watch, Identity.appleSourceRecordId(
                "HKQuantityTypeIdentifierStepCount", "Watch", WATCH, start, end.plusSeconds(1), null));
        assertNotEquals(watch, Identity.appleSourceRecordId(
                "HKQuantityTypeIdentifierStepCount", "Watch", WATCH, start, end, start));
    }

    @Test
    void appleIdEncodesPipesInFields() {
        String id = Identity.appleSourceRecordId("HKQuantityTypeIdentifierStepCount", "My|App", null,
                OffsetDateTime.parse("2024-03-10T07:00:00Z"), OffsetDateTime.parse("2024-03-10T07:00:00Z"), null);

        assertEquals("HKQuantityTypeIdentifierStepCount|My%7CApp||2024-03-10T07:00:00Z|2024-03-10T07:00:00Z|", id);
    }

    @Test
    void appleIdTimesAreWhatIsoInstantWritesForEveryYear() {
        java.util.Random random = new java.util.Random(20261126);
        List<OffsetDateTime> times = new java.util.ArrayList<>(List.of(
                OffsetDateTime.parse("0000-01-01T00:00:00Z"), OffsetDateTime.parse("0000-01-01T00:59:59+01:00"),
                OffsetDateTime.parse("-0001-12-31T23:59:59Z"), OffsetDateTime.parse("9999-12-31T23:59:59Z"),
                OffsetDateTime.parse("9999-12-31T23:59:59-01:00"), OffsetDateTime.parse("+10000-01-01T00:00:00Z"),
                OffsetDateTime.parse("1969-12-31T23:59:59.999999999Z"), OffsetDateTime.parse("1970-01-01T00:00:00Z"),
                OffsetDateTime.parse("2024-02-29T12:00:00.5+05:45"), OffsetDateTime.parse("0999-06-01T00:00:00Z"),
                OffsetDateTime.MIN, OffsetDateTime.MAX));
        for (int i = 0; i < 20_000; i++) {
            long second = random.nextLong(-70_000_000_000L, 260_000_000_000L);
            times.add(java.time.Instant.ofEpochSecond(second, random.nextInt(1_000_000_000))
                    .atOffset(java.time.ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 3600, 18 * 3600 + 1))));
        }
        for (OffsetDateTime time : times) {
            String expected = java.time.format.DateTimeFormatter.ISO_INSTANT.format(
                    time.toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            assertEquals(expected, Identity.utcSecondsAsWritten(time), time::toString);
        }
    }

    @Test
    void appleIdIsTheEncodedFieldsJoined() {
        OffsetDateTime start = OffsetDateTime.parse("2024-03-10T08:00:00.25+01:00");
        OffsetDateTime end = OffsetDateTime.parse("2024-03-10T08:05:00+01:00");
        OffsetDateTime created = OffsetDateTime.parse("2024-03-10T08:06:07+01:00");
        String device = "<<HKDevice: 0x283735e00>, name:Apple|Watch, manufacturer:100% Apple>";

        assertEquals("HKQuantityTypeIdentifierStepCount|My%7CApp %25|name:Apple%7CWatch, manufacturer:100%25 Apple"
                + "|2024-03-10T07:00:00Z|2024-03-10T07:05:00Z|2024-03-10T07:06:07Z",
                Identity.appleSourceRecordId("HKQuantityTypeIdentifierStepCount", "My|App %", device, start, end, created));
        assertEquals("||||2024-03-10T07:05:00Z|", Identity.appleSourceRecordId(null, null, null, null, end, null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "<<HKDevice: 0xZZ>, name:Not hex>; <<HKDevice: 0xZZ>, name:Not hex>",
        "<<HKDevice: 0x283735e00>, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:9.1>;"
                + " name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:9.1",
        "  <<HKDevice: 0xABCDEF>, name:iPhone, model:iPhone>  ; name:iPhone, model:iPhone",
        "<<HKDevice: 0x1>>; ''",
        "Withings Body Cardio; Withings Body Cardio",
        "<HKDevice without address>; <HKDevice without address>"
    })
    void appleDeviceLosesOnlyTheAddress(String raw, String normalized) {
        assertEquals(normalized.trim(), Identity.normalizeAppleDevice(raw));
    }

    @Test
    void appleDeviceNullStaysNull() {
        assertNull(Identity.normalizeAppleDevice(null));
    }

    @Test
    void csvIdKeepsTwoMealsOfOneDateApart() {
        String breakfast = Identity.csvSourceRecordId("myfitnesspal-nutrition", "2025-03-06", null,
                List.of("Breakfast"), 0, "Calories");
        String lunch = Identity.csvSourceRecordId("myfitnesspal-nutrition", "2025-03-06", null,
                List.of("Lunch"), 0, "Calories");

        assertNotEquals(breakfast, lunch);
        assertEquals("myfitnesspal-nutrition|2025-03-06||Breakfast|0|Calories", breakfast);
    }

    @Test
    void csvIdKeepsIdenticalRowsApartByOrdinalAndColumnsApart() {
        String first = Identity.csvSourceRecordId("cronometer-servings", "2023-05-02", "9:00 AM",
                List.of("Breakfast", "Banana"), 0, "Energy (kcal)");
        String second = Identity.csvSourceRecordId("cronometer-servings", "2023-05-02", "9:00 AM",
                List.of("Breakfast", "Banana"), 1, "Energy (kcal)");
        String otherColumn = Identity.csvSourceRecordId("cronometer-servings", "2023-05-02", "9:00 AM",
                List.of("Breakfast", "Banana"), 0, "Protein (g)");

        assertNotEquals(first, second);
        assertNotEquals(first, otherColumn);
        assertEquals("cronometer-servings|2023-05-02|9:00 AM|Breakfast|Banana|0|Energy (kcal)", first);
    }

    @Test
    void csvIdEncodesEachLabel() {
        String pipeInLabel = Identity.csvSourceRecordId("p", "2025-03-06", null, List.of("a|b"), 0, "c");
        String twoLabels = Identity.csvSourceRecordId("p", "2025-03-06", null, List.of("a", "b"), 0, "c");

        assertNotEquals(pipeInLabel, twoLabels);
        assertEquals("p|2025-03-06||a%7Cb|0|c", pipeInLabel);
    }
}
