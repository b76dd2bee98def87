package io.healthmesh.contracts.vocab;

/** A unit nobody knows, or two units of different dimensions. */
public class UnitConversionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public UnitConversionException(String message) {
        super(message);
    }
}
