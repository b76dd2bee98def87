package io.healthmesh.contracts.vocab;

/** Values into their metric's canonical unit. */
public final class Conversion {

    private Conversion() {
    }

    /**
     * The value expressed in the metric's canonical unit.
     *
     * @throws UnitConversionException if the unit is unknown or does not fit the metric
     */
    public static double toCanonical(Metric metric, double value, String unit) {
        if (metric.measuresDifference()) {
            return Units.convertDifference(value, unit, metric.canonicalUnit());
        }
        return Units.convert(value, unit, metric.canonicalUnit());
    }
}
