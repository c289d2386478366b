package io.iotpm.ml;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EvaluationTest {

    @Test
    void classification_countsConfusionMatrixAndRatios() {
        boolean[] a = {true, true, false, false, false, true};
        double[] p = {0.9, 0.4, 0.6, 0.1, 0.2, 0.8};
        ClassificationMetrics m = Evaluation.classification(a, p, 0.5);
        assertThat(m.confusionMatrix()).isEqualTo(new long[][] {{2, 1}, {1, 2}});
        assertThat(m.accuracy()).isCloseTo(4 / 6.0, within(1e-12));
        assertThat(m.precision()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(m.recall()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(m.f1()).isCloseTo(2 / 3.0, within(1e-12));
        // Pairs (pos, neg) ranked correctly: 0.9>all 3, 0.8>all 3, 0.4>0.1,0.2 -> 8 of 9.
        assertThat(m.rocAuc()).isCloseTo(8 / 9.0, within(1e-12));
        // Ranking 0.9+,0.8+,0.6-,0.4+ : AP = (1 + 1 + 3/4) / 3
        assertThat(m.prAuc()).isCloseTo((1 + 1 + 0.75) / 3, within(1e-12));
    }

    @Test
    void rocAuc_averagesTiesAndIsNaNForOneClass() {
        assertThat(Evaluation.rocAuc(new boolean[] {true, false}, new double[] {0.5, 0.5})).isEqualTo(0.5);
        assertThat(Evaluation.rocAuc(new boolean[] {true, true}, new double[] {0.1, 0.5})).isNaN();
    }

    @Test
    void rocCurve_runsFromOriginToOneOnePointPerDistinctScore() {
        boolean[] a = {true, true, false, false, false, true};
        double[] p = {0.9, 0.4, 0.6, 0.1, 0.2, 0.8};
        List<RocPoint> roc = Evaluation.rocCurve(a, p, 100);
        assertThat(roc).hasSize(7);
        assertThat(roc.get(0)).isEqualTo(new RocPoint(0, 0, Math.nextUp(0.9)));
        assertThat(roc.get(2)).isEqualTo(new RocPoint(0, 2.0 / 3, 0.8));
        assertThat(roc.get(3)).isEqualTo(new RocPoint(1.0 / 3, 2.0 / 3, 0.6));
        assertThat(roc.get(6)).isEqualTo(new RocPoint(1, 1, 0.1));
        // The area under the points is the rank-sum ROC-AUC.
        double area = 0;
        for (int i = 1; i < roc.size(); i++) {
            area += (roc.get(i).falsePositiveRate() - roc.get(i - 1).falsePositiveRate())
                    * (roc.get(i).truePositiveRate() + roc.get(i - 1).truePositiveRate()) / 2;
        }
        assertThat(area).isCloseTo(Evaluation.rocAuc(a, p), org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void rocCurve_thinsToMaxPointsKeepingBothEnds_andIsEmptyForOneClass() {
        int n = 1000;
        boolean[] a = new boolean[n];
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = i % 3 == 0;
            p[i] = i / (double) n;
        }
        List<RocPoint> roc = Evaluation.rocCurve(a, p, 50);
        assertThat(roc).hasSize(50);
        assertThat(roc.get(0).falsePositiveRate()).isZero();
        assertThat(roc.get(49).falsePositiveRate()).isEqualTo(1.0);
        assertThat(roc.get(49).truePositiveRate()).isEqualTo(1.0);
        assertThat(Evaluation.rocCurve(new boolean[] {true, true}, new double[] {0.1, 0.5}, 10)).isEmpty();
        assertThatThrownBy(() -> Evaluation.rocCurve(a, p, 1)).hasMessageContaining("maxPoints must be >= 2, but was 1");
    }

    @Test
    void bestF1Threshold_picksTheScoreThatSeparates() {
        boolean[] a = {false, false, true, true};
        double[] p = {0.1, 0.3, 0.35, 0.9};
        assertThat(Evaluation.bestF1Threshold(a, p)).isEqualTo(0.35);
    }

    @Test
    void regression_rmseMaeR2AndNasaScore() {
        double[] actual = {10, 20, 30};
        double[] predicted = {12, 18, 30};
        RegressionMetrics m = Evaluation.regression(actual, predicted);
        assertThat(m.rmse()).isCloseTo(Math.sqrt(8 / 3.0), within(1e-12));
        assertThat(m.mae()).isCloseTo(4 / 3.0, within(1e-12));
        assertThat(m.r2()).isCloseTo(1 - 8 / 200.0, within(1e-12));
        // Late by 2 -> exp(0.2)-1 ; early by 2 -> exp(2/13)-1
        assertThat(m.nasaScore()).isCloseTo(Math.expm1(0.2) + Math.expm1(2 / 13.0), within(1e-12));
    }

    @Test
    void rejectsMismatchedLengthsAndNaN() {
        assertThatThrownBy(() -> Evaluation.regression(new double[] {1}, new double[] {1, 2}))
                .hasMessageContaining("expected 1 predictions, but got 2");
        assertThatThrownBy(() -> Evaluation.classification(new boolean[] {true}, new double[] {Double.NaN}, 0.5))
                .hasMessageContaining("prediction 0 is NaN");
        assertThatThrownBy(() -> Evaluation.regression(new double[0], new double[0])).hasMessageContaining("no predictions");
    }
}
