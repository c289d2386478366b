package io.iotpm.ml;

import java.util.List;

/**
 * Every hyper-parameter of an {@link LstmPredictor}, as saved in {@code model.json}. Validated by the
 * builder.
 */
record LstmConfig(
        LstmPredictor.Task task,
        int sequenceLength,
        int stride,
        int horizon,
        double rulCap,
        int[] layers,
        int[] denseLayers,
        double dropout,
        LstmPredictor.OptimizerType optimizer,
        double learningRate,
        LstmPredictor.Schedule schedule,
        int scheduleEvery,
        double scheduleFactor,
        double gradientClip,
        int epochs,
        int batchSize,
        int earlyStoppingPatience,
        long seed,
        double validationFraction,
        LstmPredictor.ScalerType scaler,
        List<String> channels,
        boolean dropConstantChannels,
        double minTargetCorrelation,
        boolean compositeChannels,
        int rollingWindow,
        int slopeWindow,
        LstmPredictor.ClassWeighting classWeighting,
        Double decisionThreshold,
        double[] riskThresholds) {
}
