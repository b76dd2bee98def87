package io.healthmesh.imports.apple;

import java.util.Arrays;

/**
 * A run of start and end tags that {@link ExportScanner} read from export.xml, in document order, with
 * the attributes the mapping reads, for {@link AppleExportParser} to map on its own thread. Reused:
 * the scanner fills it, the parser reads it through its cursor ({@link #moveTo}), then hands it back.
 *
 * <p>The batch that ends the document says so ({@link #isLast()}), with the failure that ended the
 * scan early, if any, and where in the file it happened.
 */
final class ElementBatch {

    /** About 450 records of a typical export: one lock hand-over per batch stays out of the profile. */
    static final int ELEMENTS = 1024;
    private static final int ATTRIBUTES = ELEMENTS * 8;
    /** Room kept so that the next element's attributes always fit without growing the arrays. */
    private static final int ATTRIBUTE_HEADROOM = 64;
    private static final int VALUE_CHARS = ATTRIBUTES * 40;
    private static final int VALUE_CHARS_HEADROOM = 4096;

    private final boolean[] starts = new boolean[ELEMENTS];
    private final int[] levels = new int[ELEMENTS];
    private final String[] names = new String[ELEMENTS];
    /** Exclusive end, in the attribute arrays, of each element's attributes. */
    private final int[] attributeEnds = new int[ELEMENTS];
    private String[] attributeNames = new String[ATTRIBUTES];
    /** A value the scan had as a String; null where the value is in {@link #valueChars}. */
    private String[] attributeValues = new String[ATTRIBUTES];
    private int[] valueStarts = new int[ATTRIBUTES];
    private int[] valueEnds = new int[ATTRIBUTES];
    /** The values copied as characters, back to back: made Strings by the mapping thread. */
    private char[] valueChars = new char[VALUE_CHARS];
    private int chars;
    private int size;
    private int attributes;

    private boolean last;
    private Throwable failure;
    private int failureLine = -1;
    private int failureColumn = -1;

    // The mapping thread's cursor.
    private int current;
    private int firstAttribute;

    // ---- Scanning thread ----

    void start(int level, String name) {
        starts[size] = true;
        levels[size] = level;
        names[size] = name;
        attributeEnds[size] = attributes;
        size++;
    }

    /** An attribute of the element started last, its value as a String. */
    void attribute(String name, String value) {
        int index = nextAttribute(name);
        attributeValues[index] = value;
    }

    /** An attribute of the element started last, its value {@code source[start, end)}, copied. */
    void attribute(String name, char[] source, int start, int end) {
        int length = end - start;
        if (chars + length > valueChars.length) {
            // Only a value longer than VALUE_CHARS_HEADROOM gets here (the sanitizing stream bounds a
            // tag's size, and this batch is handed over right after it).
            valueChars = Arrays.copyOf(valueChars, Math.max(valueChars.length * 2, chars + length));
        }
        int index = nextAttribute(name);
        attributeValues[index] = null;
        System.arraycopy(source, start, valueChars, chars, length);
        valueStarts[index] = chars;
        chars += length;
        valueEnds[index] = chars;
    }

    private int nextAttribute(String name) {
        if (attributes == attributeNames.length) {
            // Only a tag with more attributes than ATTRIBUTE_HEADROOM gets here (a hostile file; the
            // sanitizing stream bounds a tag's size, and this batch is handed over right after it).
            int grown = attributeNames.length * 2;
            attributeNames = Arrays.copyOf(attributeNames, grown);
            attributeValues = Arrays.copyOf(attributeValues, grown);
            valueStarts = Arrays.copyOf(valueStarts, grown);
            valueEnds = Arrays.copyOf(valueEnds, grown);
        }
        int index = attributes++;
        attributeNames[index] = name;
        attributeEnds[size - 1] = attributes;
        return index;
    }

    void end(int level) {
        starts[size] = false;
        levels[size] = level;
        names[size] = null;
        attributeEnds[size] = attributes;
        size++;
    }

    boolean isFull() {
        return size == ELEMENTS || attributes > attributeNames.length - ATTRIBUTE_HEADROOM
                || chars > valueChars.length - VALUE_CHARS_HEADROOM;
    }

    /** Marks the end of the document: everything read is in this batch (or an earlier one). */
    void markLast() {
        last = true;
    }

    /** Marks the end of the scan by a failure, at that line and column of the file (-1 when unknown). */
    void markFailed(Throwable cause, int line, int column) {
        last = true;
        failure = cause;
        failureLine = line;
        failureColumn = column;
    }

    /** Empties the batch for the next run of elements, dropping what a hostile tag made it grow to. */
    void clear() {
        size = 0;
        attributes = 0;
        chars = 0;
        current = 0;
        firstAttribute = 0;
        if (attributeNames.length > ATTRIBUTES) {
            attributeNames = new String[ATTRIBUTES];
            attributeValues = new String[ATTRIBUTES];
            valueStarts = new int[ATTRIBUTES];
            valueEnds = new int[ATTRIBUTES];
        }
        if (valueChars.length > VALUE_CHARS) {
            valueChars = new char[VALUE_CHARS];
        }
    }

    // ---- Mapping thread ----

    int size() {
        return size;
    }

    boolean isLast() {
        return last;
    }

    Throwable failure() {
        return failure;
    }

    int failureLine() {
        return failureLine;
    }

    int failureColumn() {
        return failureColumn;
    }

    /** Points the cursor at element {@code index}: the accessors below then describe it. */
    void moveTo(int index) {
        current = index;
        firstAttribute = index == 0 ? 0 : attributeEnds[index - 1];
    }

    boolean isStart() {
        return starts[current];
    }

    /** 0 for the root element, 1 for top-level elements (Record, Workout, ...), and so on. */
    int level() {
        return levels[current];
    }

    /** The element's local name (start tags only). */
    String name() {
        return names[current];
    }

    int attributeCount() {
        return attributeEnds[current] - firstAttribute;
    }

    String attributeName(int index) {
        return attributeNames[firstAttribute + index];
    }

    String attributeValue(int index) {
        int at = firstAttribute + index;
        String value = attributeValues[at];
        return value != null ? value : new String(valueChars, valueStarts[at], valueEnds[at] - valueStarts[at]);
    }
}
