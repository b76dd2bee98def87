package io.healthmesh.normalizer.domain;

import java.util.List;

/** A quality score in 0..1 (the product of its factors' weights) with the factors that made it. */
public record QualityAssessment(double score, List<Factor> factors) {

    /** One consideration: its name, its weight in 0..1 (1 = no doubt) and why. */
    public record Factor(String factor, double weight, String detail) {
    }
}
