package io.healthmesh.contracts.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AppleSourceRecordIdsTest {

    private static final String WATCH =
            "name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:9.1";
    private static final String[] TYPES = {
        "HKQuantityTypeIdentifierHeartRate", "HKQuantityTypeIdentifierStepCount", "Type|With|Pipes", "100%", "", null,
    };
    private static final String[] APPS = {"Anna\u2019s Apple Watch", "My|App %", "iPhone", "%7C", "", null};
    private static final String[] DEVICES = {
        "<<HKDevice: 0x283735e00>, " + WATCH + ">",
        "<<HKDevice: 0x600001a4c2d0>, " + WATCH + ">",
        "  <<HKDevice: 0xABCDEF>, name:iPhone|X, manufacturer:100% Apple>  ",
        "<<HKDevice: 0x1>>",
        "<<HKDevice: 0xZZ>, name:Not hex>",
        WATCH,
        " Withings Body Cardio ",
        "a|b%c",
        "",
        null,
    };

    private static final OffsetDateTime START = OffsetDateTime.parse("2024-03-10T08:00:00.25+01:00");
    private static final OffsetDateTime END = OffsetDateTime.parse("2024-03-10T08:05:00+01:00");
    private static final OffsetDateTime CREATED = OffsetDateTime.parse("2024-03-10T08:06:07-08:00");

    @Test
    void everyCombinationGivesTheUncachedId() {
        AppleSourceRecordIds ids = new AppleSourceRecordIds();
        // Twice over, so each combination is met both just after a different one and after itself.
        for (int round = 0; round < 2; round++) {
            for (String type : TYPES) {
                for (String app : APPS) {
                    for (String device : DEVICES) {
                        for (int repeat = 0; repeat < 2; repeat++) {
                            assertSame(ids, type, app, device, START, END, CREATED);
                            assertSame(ids, type, app, device, START, END.plusSeconds(repeat), null);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aRunOfEqualButDistinctStringsGivesTheUncachedIds() {
        // A parser hands over a new String per record: equal fields, never the same instances.
        AppleSourceRecordIds ids = new AppleSourceRecordIds();
        for (int i = 0; i < 50; i++) {
            assertSame(ids, new String("HKQuantityTypeIdentifierHeartRate"), new String("My|App %"),
                    new String(DEVICES[i % 2]), START.plusMinutes(i), END.plusMinutes(i), CREATED.plusMinutes(i));
        }
    }

    @Test
    void onlyOneFieldChangingIsNoticed() {
        AppleSourceRecordIds ids = new AppleSourceRecordIds();
        assertSame(ids, "T", "A", "D", START, END, CREATED);
        assertSame(ids, "T2", "A", "D", START, END, CREATED);
        assertSame(ids, "T2", "A2", "D", START, END, CREATED);
        assertSame(ids, "T2", "A2", "D2", START, END, CREATED);
        assertSame(ids, "T2", "A2", null, START, END, CREATED);
        assertSame(ids, "T2", null, null, START, END, CREATED);
        assertSame(ids, null, null, null, START, END, CREATED);
        assertSame(ids, null, null, null, null, null, null);
        assertSame(ids, "T", null, null, null, null, null);
    }

    @Test
    void randomRunsMatchThePlainJoinedForm() {
        Random random = new Random(20261127);
        AppleSourceRecordIds ids = new AppleSourceRecordIds();
        List<OffsetDateTime> times = new ArrayList<>(Arrays.asList(null, OffsetDateTime.parse("0000-01-01T00:00:00Z"),
                OffsetDateTime.parse("+10000-01-01T00:00:00Z"), OffsetDateTime.parse("1969-12-31T23:59:59.5Z")));
        for (int i = 0; i < 200; i++) {
            times.add(java.time.Instant.ofEpochSecond(random.nextLong(0, 2_000_000_000L))
                    .atOffset(ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 4, 18 * 4 + 1) * 900)));
        }
        String type = TYPES[0];
        String app = APPS[0];
        String device = DEVICES[0];
        for (int i = 0; i < 20_000; i++) {
            // Mostly runs, as in an export; now and then one field changes.
            switch (random.nextInt(20)) {
                case 0 -> type = TYPES[random.nextInt(TYPES.length)];
                case 1 -> app = APPS[random.nextInt(APPS.length)];
                case 2 -> device = DEVICES[random.nextInt(DEVICES.length)];
                default -> {
                }
            }
            OffsetDateTime start = times.get(random.nextInt(times.size()));
            OffsetDateTime end = times.get(random.nextInt(times.size()));
            OffsetDateTime created = times.get(random.nextInt(times.size()));
            String expected = plain(type, app, device, start, end, created);
            assertEquals(expected, ids.of(type, app, device, start, end, created));
            assertEquals(expected, Identity.appleSourceRecordId(type, app, device, start, end, created));
            if (created != null) {
                assertEquals(expected, ids.of(type, app, device, start, end, created.toEpochSecond()));
            }
        }
    }

    @Test
    void aCreationEpochSecondGivesTheIdOfThatInstantForEveryYear() {
        AppleSourceRecordIds ids = new AppleSourceRecordIds();
        Random random = new Random(20261128);
        List<OffsetDateTime> created = new ArrayList<>(List.of(OffsetDateTime.MIN, OffsetDateTime.MAX,
                OffsetDateTime.parse("0000-01-01T00:00:00Z"), OffsetDateTime.parse("0000-01-01T00:59:59+01:00"),
                OffsetDateTime.parse("-0001-12-31T23:59:59Z"), OffsetDateTime.parse("9999-12-31T23:59:59Z"),
                OffsetDateTime.parse("9999-12-31T23:59:59-01:00"), OffsetDateTime.parse("+10000-01-01T00:00:00Z"),
                OffsetDateTime.parse("1969-12-31T23:59:59.999999999Z"), OffsetDateTime.parse("2024-02-29T12:00:00.5+05:45")));
        for (int i = 0; i < 5_000; i++) {
            created.add(java.time.Instant.ofEpochSecond(random.nextLong(-70_000_000_000L, 260_000_000_000L),
                    random.nextInt(1_000_000_000)).atOffset(ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 3600, 18 * 3600 + 1))));
        }
        for (OffsetDateTime time : created) {
            assertEquals(Identity.appleSourceRecordId(TYPES[0], APPS[0], DEVICES[0], START, END, time),
                    ids.of(TYPES[0], APPS[0], DEVICES[0], START, END, time.toEpochSecond()), time::toString);
        }
    }

    private static void assertSame(AppleSourceRecordIds ids, String type, String app, String device,
            OffsetDateTime start, OffsetDateTime end, OffsetDateTime created) {
        String uncached = Identity.appleSourceRecordId(type, app, device, start, end, created);
        assertEquals(uncached, ids.of(type, app, device, start, end, created),
                () -> type + " / " + app + " / " + device);
        assertEquals(plain(type, app, device, start, end, created), uncached);
    }

    /** The definition, spelled out the slow way. */
    private static String plain(String type, String app, String device, OffsetDateTime start, OffsetDateTime end,
            OffsetDateTime created) {
        return String.join("|", Identity.encodeField(type), Identity.encodeField(app),
                Identity.encodeField(Identity.normalizeAppleDevice(device)), utc(start), utc(end), utc(created));
    }

    private static String utc(OffsetDateTime time) {
        return time == null ? "" : DateTimeFormatter.ISO_INSTANT.format(time.toInstant().truncatedTo(ChronoUnit.SECONDS));
    }
}
