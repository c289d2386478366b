package io.iotpm.ml.anomaly;

import io.iotpm.core.Predictor;
import io.iotpm.ml.Synthetic;
import io.iotpm.test.predictor.PredictorContract;

/** A small trained autoencoder passes the predictor contract. */
class AnomalyDetectorContractTest extends PredictorContract {

    @Override
    protected Predictor createPredictor() {
        AnomalyDetector d = AnomalyDetector.builder(Synthetic.SCHEMA).sequenceLength(12).stride(3).hiddenSize(6)
                .epochs(1).batchSize(64).seed(11).build();
        d.train(Synthetic.fleet(4, 300, 3).set());
        return d;
    }
}
