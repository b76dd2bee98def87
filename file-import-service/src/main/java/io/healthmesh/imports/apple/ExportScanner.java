package io.healthmesh.imports.apple;

import io.healthmesh.imports.handoff.ThreadHandOff;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import javax.xml.stream.Location;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.codehaus.stax2.XMLStreamReader2;
import org.codehaus.stax2.typed.TypedValueDecoder;

/**
 * The first stage of a parse, on a thread of its own: reads export.xml (the sanitizing stream, and
 * the inflater of a zip) with Aalto and hands its tags, with the attribute values the mapping reads,
 * in {@link ElementBatch}es to the parser's thread, which maps them while the next ones are read. On
 * a machine with a second core the scan (the XML parser's own work, most of an import's CPU) and the
 * mapping (timestamps, sample ids, building readings) then overlap instead of adding up.
 *
 * <p>What it forwards: start tags down to level 3 (a Workout's WorkoutActivity's WorkoutStatistics)
 * and end tags of levels 1 and 2, the only ones the mapping acts on; of each start tag below the root,
 * the attributes named in {@link #MAPPED_ATTRIBUTES}. It enforces the document's shape itself (the
 * root is HealthData, nesting at most {@link #MAX_DEPTH}, no entity references), so every failure is
 * found here, with its place in the file, and forwarded after the elements before it.
 *
 * <p>Memory stays bounded: at most {@link #BATCHES} batches exist, so a mapping side slower than the
 * scan (a slow handler, a broker pushing back) makes the scan wait.
 */
final class ExportScanner {

    /** Every attribute the mapping reads, of any element; the others are never turned into Strings. */
    static final Set<String> MAPPED_ATTRIBUTES = Set.of(
            // Record
            "type", "unit", "value", "device", "startDate", "endDate", "sourceName", "creationDate",
            // MetadataEntry
            "key",
            // Workout
            "workoutActivityType", "totalDistance", "totalDistanceUnit", "totalEnergyBurned", "totalEnergyBurnedUnit",
            // WorkoutStatistics
            "sum", "average", "minimum", "maximum",
            // ActivitySummary
            "dateComponents", "activeEnergyBurned", "activeEnergyBurnedUnit", "appleExerciseTime", "appleStandHours");

    /**
     * {@link #MAPPED_ATTRIBUTES} as an open-addressed table: a lookup per attribute of every record is
     * the name's cached hash, a mask and usually one identity comparison (Aalto hands out one String
     * per name), where Set.contains spent a floorMod and a probe loop.
     */
    private static final String[] MAPPED_TABLE = openAddressed(MAPPED_ATTRIBUTES);

    static final int MAX_DEPTH = 32;
    private static final int DEEPEST_FORWARDED_START = 3;
    /** Filled by the scan, queued, being mapped: a few hundred kB at most. */
    private static final int BATCHES = 6;

    private final XmlSanitizingInputStream input;
    private final BlockingQueue<ElementBatch> scanned = new ArrayBlockingQueue<>(BATCHES);
    private final BlockingQueue<ElementBatch> free = new ArrayBlockingQueue<>(BATCHES);
    private final Thread thread;
    private final ValueCopier copier = new ValueCopier();
    private int created;
    private volatile boolean stopped;

    /** Thrown inside the scanning thread when the parser stopped taking batches. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    private ExportScanner(XmlSanitizingInputStream input) {
        this.input = input;
        this.thread = new Thread(this::scan, "apple-export-scan");
        // A parse never outlives its caller (stop() joins), but a JVM going down need not wait for one.
        this.thread.setDaemon(true);
    }

    /** Starts scanning {@code input} on a new thread. */
    static ExportScanner start(XmlSanitizingInputStream input) {
        ExportScanner scanner = new ExportScanner(input);
        scanner.thread.start();
        return scanner;
    }

    // ---- The parser's thread ----

    /** The next batch in document order, waiting for it; the last one says so. */
    ElementBatch next() {
        ElementBatch batch = ThreadHandOff.next(scanned, thread);
        if (batch == null) {
            throw new IllegalStateException("the export scanner stopped without a last batch");
        }
        return batch;
    }

    /** Gives a mapped batch back for the scan to fill again. */
    void recycle(ElementBatch batch) {
        batch.clear();
        free.offer(batch);
    }

    /**
     * Stops the scan (if it still runs) and waits until its thread has ended, so that nothing reads
     * the caller's stream after the parse returns: the caller closes it, a zip's inflater with it.
     */
    void stop() {
        stopped = true;
        ThreadHandOff.awaitEnd(thread, scanned);
    }

    // ---- The scanning thread ----

    private void scan() {
        ElementBatch batch = null;
        XMLStreamReader reader = null;
        try {
            batch = freeBatch();
            reader = AppleExportParser.createFactory().createXMLStreamReader(input);
            int open = 0;
            while (reader.hasNext()) {
                switch (reader.next()) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        startElement(reader, open, batch);
                        open++;
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        open--;
                        if (open == 1 || open == 2) {
                            batch.end(open);
                        }
                    }
                    case XMLStreamConstants.ENTITY_REFERENCE -> throw new XMLStreamException("undeclared entity &"
                            + reader.getLocalName() + "; (entities are not supported)", reader.getLocation());
                    default -> {
                        // Text, comments, processing instructions: nothing in an export.
                        continue;
                    }
                }
                if (batch.isFull()) {
                    handOver(batch);
                    batch = freeBatch();
                }
            }
            closeQuietly(reader);
            batch.markLast();
        } catch (Stopped e) {
            closeQuietly(reader);
            return;
        } catch (XMLStreamException e) {
            Location location = e.getLocation() != null ? e.getLocation() : locationOf(reader);
            closeQuietly(reader);
            batch = batch != null ? batch : new ElementBatch();
            batch.markFailed(e, location == null ? -1 : location.getLineNumber(),
                    location == null ? -1 : location.getColumnNumber());
        } catch (Throwable e) {
            // The byte source's failure, a bug, an Error: the parser's thread throws it, after the
            // elements read before it.
            closeQuietly(reader);
            batch = batch != null ? batch : new ElementBatch();
            batch.markFailed(e, -1, -1);
        }
        try {
            handOver(batch);
        } catch (Stopped e) {
            // Nobody waits for it any more.
        }
    }

    private void startElement(XMLStreamReader reader, int level, ElementBatch batch)
            throws XMLStreamException {
        if (level == MAX_DEPTH) {
            // Exports nest four deep; the parser's element stack should not grow at an attacker's will.
            throw new XMLStreamException("elements nested more than " + MAX_DEPTH + " deep", reader.getLocation());
        }
        if (level > DEEPEST_FORWARDED_START) {
            return;
        }
        String name = reader.getLocalName();
        if (level == 0 && !"HealthData".equals(name)) {
            // Aalto places the first element where the prolog's trailing whitespace began.
            throw new XMLStreamException("not an Apple Health export (the root element is <"
                    + AppleExportParser.printable(name) + ">, not <HealthData>)", currentLocation(reader));
        }
        batch.start(level, name);
        if (level == 0) {
            return;
        }
        int count = reader.getAttributeCount();
        for (int i = 0; i < count; i++) {
            // Aalto hands out the same String for every occurrence of a name: its hash is computed once.
            String attribute = reader.getAttributeLocalName(i);
            if (isMapped(attribute)) {
                copier.copy(reader, i, attribute, batch);
            }
        }
    }

    /**
     * Copies an attribute value's characters straight from Aalto's buffer into the batch, so that this
     * thread, the one that limits the parse, makes no String of it (Aalto would first make one String
     * of all the element's values, then one more per value); the mapping thread makes it. Aalto's typed
     * access trims the value, so a value that may have had white space at either end (the character
     * before or after it in the buffer is one) is taken as the String, exactly as written.
     */
    private static final class ValueCopier extends TypedValueDecoder {
        private boolean copied;
        private String attribute;
        private ElementBatch batch;

        void copy(XMLStreamReader reader, int index, String name, ElementBatch into) throws XMLStreamException {
            copied = false;
            attribute = name;
            batch = into;
            ((XMLStreamReader2) reader).getAttributeAs(index, this);
            if (!copied) {
                into.attribute(name, reader.getAttributeValue(index));
            }
        }

        @Override
        public void decode(char[] buffer, int start, int end) {
            if (start > 0 && buffer[start - 1] <= ' ' || end < buffer.length && buffer[end] <= ' ') {
                return;
            }
            batch.attribute(attribute, buffer, start, end);
            copied = true;
        }

        @Override
        public void decode(String text) {
            // Aalto passes characters; a String would be trimmed already: left to the fallback.
        }

        @Override
        public void handleEmptyValue() {
            // Empty or only white space: left to the fallback, which keeps it as written.
        }
    }

    static boolean isMapped(String attribute) {
        int mask = MAPPED_TABLE.length - 1;
        for (int i = slot(attribute, mask); ; i = (i + 1) & mask) {
            String entry = MAPPED_TABLE[i];
            if (entry == null) {
                return false;
            }
            if (entry.equals(attribute)) {
                return true;
            }
        }
    }

    private static String[] openAddressed(Set<String> names) {
        // At most a quarter full: a miss (sourceVersion, on every record) ends at the first empty slot.
        String[] table = new String[Integer.highestOneBit(names.size() * 4) * 2];
        int mask = table.length - 1;
        for (String name : names) {
            int i = slot(name, mask);
            while (table[i] != null) {
                i = (i + 1) & mask;
            }
            table[i] = name;
        }
        return table;
    }

    private static int slot(String name, int mask) {
        int hash = name.hashCode();
        return (hash ^ (hash >>> 16)) & mask;
    }

    private ElementBatch freeBatch() {
        ElementBatch batch = free.poll();
        if (batch != null) {
            return batch;
        }
        if (created < BATCHES) {
            created++;
            return new ElementBatch();
        }
        batch = ThreadHandOff.take(free, () -> stopped);
        if (batch == null) {
            throw new Stopped();
        }
        return batch;
    }

    private void handOver(ElementBatch batch) {
        if (!ThreadHandOff.put(scanned, batch, () -> stopped)) {
            throw new Stopped();
        }
    }

    private static Location currentLocation(XMLStreamReader reader) {
        if (reader instanceof XMLStreamReader2 stax2) {
            return stax2.getLocationInfo().getCurrentLocation();
        }
        return reader.getLocation();
    }

    private static Location locationOf(XMLStreamReader reader) {
        try {
            return reader == null ? null : reader.getLocation();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void closeQuietly(XMLStreamReader reader) {
        if (reader == null) {
            return;
        }
        try {
            reader.close();
        } catch (XMLStreamException | RuntimeException e) {
            // Closing a reader releases buffers only; the stream is the caller's.
        }
    }
}
