package io.iotpm.examples.showcase;

import io.iotpm.core.Predictor;
import io.iotpm.core.SensorSchema;
import io.iotpm.test.predictor.PredictorContract;

/** The streaming demo's rule-based stand-in for the LSTM passes the predictor contract. */
class BaselinePredictorContractTest extends PredictorContract {

    @Override
    protected Predictor createPredictor() {
        return new BaselinePredictor(SensorSchema.industrialMotor(), 60);
    }
}
