package io.iotpm.ml;

import io.iotpm.core.Predictor;
import io.iotpm.test.predictor.PredictorContract;

/** A small trained LSTM RUL model that pads windows of 5 to 11 readings passes the predictor contract. */
class PaddedLstmPredictorContractTest extends PredictorContract {

    @Override
    protected Predictor createPredictor() {
        LstmPredictor p = LstmPredictor.builder(Synthetic.SCHEMA).task(LstmPredictor.Task.RUL_REGRESSION).rulCap(60)
                .sequenceLength(12).minHistory(5).horizon(10).stride(3).layers(6).epochs(1).batchSize(64)
                .earlyStoppingPatience(0).seed(11).build();
        p.train(Synthetic.fleet(4, 300, 3).set());
        return p;
    }
}
