package io.healthmesh.imports.csv;

/**
 * The reasons passed to {@link CsvRowHandler#skipped} and counted in {@link CsvParseSummary}: a fixed
 * set of short slugs, never built from file content.
 */
public final class CsvSkipReason {

    /** The row has a different number of cells than the header (extra blank cells at the end are fine). */
    public static final String WRONG_COLUMN_COUNT = "wrong-column-count";
    /** The date cell is blank. */
    public static final String MISSING_DATE = "missing-date";
    /** The date cell does not match the mapping's date format, or is outside 1900-2199. */
    public static final String BAD_DATE = "bad-date";
    /** The time cell is not blank and does not match the mapping's time format. */
    public static final String BAD_TIME = "bad-time";
    /** The end cell does not match its format or lies before the start. */
    public static final String BAD_END = "bad-end";
    /** The duration cell is not a number of the mapping's unit between 0 and 31 days. */
    public static final String BAD_DURATION = "bad-duration";
    /** A value cell that is not a number (in the file's decimal separator). */
    public static final String BAD_NUMBER = "bad-number";
    /** NaN, infinite, or outside the metric's plausible range (negative energy, 0 bpm). */
    public static final String IMPOSSIBLE_VALUE = "impossible-value";
    /** Long format: the amount or the metric name is blank. */
    public static final String MISSING_VALUE = "missing-value";
    /** Long format: the unit cell is blank, unknown, or does not fit the metric. */
    public static final String BAD_UNIT = "bad-unit";
    /** Long format: a metric name the mapping does not list. */
    public static final String UNMAPPED_METRIC = "unmapped-metric";
    /** Long format: a metric name the mapping lists as not to import (null), e.g. Sleep. */
    public static final String IGNORED_METRIC = "ignored-metric";

    private CsvSkipReason() {
    }
}
