package io.iotpm.api;

import io.iotpm.core.Predictor;
import io.iotpm.test.predictor.PredictorContract;

/** The API tests' rule-based predictor keeps the same promises as a real one, so the API is tested against the SPI. */
class TestPredictorContractTest extends PredictorContract {

    @Override
    protected Predictor createPredictor() {
        return new TestPredictor(10);
    }
}
