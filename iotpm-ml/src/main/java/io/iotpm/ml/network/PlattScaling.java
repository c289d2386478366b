package io.iotpm.ml.network;

/**
 * Platt scaling: a calibrated probability {@code sigmoid(a · score + b)} from a model's score (a
 * classifier's logit, or an RUL model's failure score {@code (horizon - rul) / max(1, horizon / 5)}),
 * with {@code a} and {@code b} fitted on validation windows by maximum likelihood. It is monotone
 * for {@code a > 0}, so it reorders nothing: ROC-AUC is unchanged, only the probabilities move.
 *
 * @param a slope on the score, finite
 * @param b offset, finite
 */
public record PlattScaling(double a, double b) {

    /** No calibration: {@code sigmoid(score)}, the network's own probability. */
    public static final PlattScaling IDENTITY = new PlattScaling(1, 0);

    /** @throws IllegalArgumentException if a or b is not finite */
    public PlattScaling {
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
            throw new IllegalArgumentException("Platt scaling needs finite a and b, but was a " + a + ", b " + b);
        }
    }

    /**
     * @param score the model's score
     * @return the calibrated probability, in {@code [0, 1]}
     */
    public double probability(double score) {
        double z = a * score + b;
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    /**
     * Fits {@code a} and {@code b} by Newton's method on the log loss, with Platt's smoothed targets
     * ({@code (P + 1) / (P + 2)} and {@code 1 / (N + 2)}) so that a perfectly separated validation set
     * does not drive the slope to infinity.
     *
     * @param score  the model's scores
     * @param actual the labels
     * @return the fitted scaling, or {@link #IDENTITY} when a class is missing
     * @throws IllegalArgumentException if the arrays differ in length or a score is not finite
     */
    public static PlattScaling fit(double[] score, boolean[] actual) {
        if (score.length != actual.length) {
            throw new IllegalArgumentException(score.length + " scores but " + actual.length + " labels");
        }
        int pos = 0;
        for (int i = 0; i < score.length; i++) {
            if (!Double.isFinite(score[i])) {
                throw new IllegalArgumentException("score " + i + " is " + score[i]);
            }
            pos += actual[i] ? 1 : 0;
        }
        int neg = score.length - pos;
        if (pos == 0 || neg == 0) {
            return IDENTITY;
        }
        double hi = (pos + 1.0) / (pos + 2.0);
        double lo = 1.0 / (neg + 2.0);
        // Platt's start (a flat model at the prior) and Newton steps halved until the loss falls.
        double a = 0;
        double b = Math.log((pos + 1.0) / (neg + 1.0));
        double loss = logLoss(score, actual, hi, lo, a, b);
        for (int iter = 0; iter < 100; iter++) {
            double ga = 0;
            double gb = 0;
            double haa = 1e-12;
            double hab = 0;
            double hbb = 1e-12;
            PlattScaling cur = new PlattScaling(a, b);
            for (int i = 0; i < score.length; i++) {
                double p = cur.probability(score[i]);
                double d = p - (actual[i] ? hi : lo);
                double w = Math.max(p * (1 - p), 1e-12);
                ga += d * score[i];
                gb += d;
                haa += w * score[i] * score[i];
                hab += w * score[i];
                hbb += w;
            }
            double det = haa * hbb - hab * hab;
            if (!(det > 0)) {
                break;
            }
            double da = (hbb * ga - hab * gb) / det;
            double db = (haa * gb - hab * ga) / det;
            double step = 1;
            double next = Double.POSITIVE_INFINITY;
            while (step > 1e-10) {
                next = logLoss(score, actual, hi, lo, a - step * da, b - step * db);
                if (next <= loss + 1e-12) {
                    break;
                }
                step /= 2;
            }
            if (step <= 1e-10) {
                break;
            }
            a -= step * da;
            b -= step * db;
            boolean converged = loss - next < 1e-12 * Math.max(1, loss);
            loss = next;
            if (converged) {
                break;
            }
        }
        return Double.isFinite(a) && Double.isFinite(b) ? new PlattScaling(a, b) : IDENTITY;
    }

    private static double logLoss(double[] score, boolean[] actual, double hi, double lo, double a, double b) {
        double s = 0;
        for (int i = 0; i < score.length; i++) {
            double z = a * score[i] + b;
            double t = actual[i] ? hi : lo;
            // log(1 + e^z) - t·z, stable for large |z|
            s += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - t * z;
        }
        return s;
    }
}
