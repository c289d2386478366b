package io.iotpm.ml;

import io.iotpm.core.Predictor;
import io.iotpm.test.predictor.PredictorContract;

/** A small ensemble of two RUL LSTMs passes the predictor contract (the classifier is the LSTM's own test). */
class EnsemblePredictorContractTest extends PredictorContract {

    @Override
    protected Predictor createPredictor() {
        LstmPredictor.Builder small = LstmPredictor.builder(Synthetic.SCHEMA).task(LstmPredictor.Task.RUL_REGRESSION)
                .rulCap(60).sequenceLength(12).horizon(10).stride(3).layers(6).epochs(1).batchSize(64)
                .earlyStoppingPatience(0).seed(11);
        return EnsemblePredictor.train(small, 2, Synthetic.fleet(4, 300, 3).set(), TrainingListener.NONE);
    }
}
