package io.iotpm.ml;

/**
 * Remaining-useful-life regression quality.
 *
 * @param count     number of predictions
 * @param rmse      root mean squared error
 * @param mae       mean absolute error
 * @param r2        coefficient of determination (NaN when the actual values are constant)
 * @param nasaScore the PHM08 asymmetric score {@code Σ exp(-d/13) - 1} for early ({@code d < 0}) and
 *                  {@code exp(d/10) - 1} for late predictions, {@code d = predicted - actual}; lower is better
 */
public record RegressionMetrics(int count, double rmse, double mae, double r2, double nasaScore) {
}
