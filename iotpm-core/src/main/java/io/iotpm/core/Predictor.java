package io.iotpm.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Predicts failures from a window of recent readings. Implementations (the DJL LSTM in
 * {@code iotpm-ml}, a TensorFlow SavedModel, a host's own) are safe to call from many threads.
 */
public interface Predictor extends AutoCloseable {

    /** @return the schema the readings of a window must have */
    SensorSchema schema();

    /** @return how many readings a window holds (the newest are used if there are more) */
    int sequenceLength();

    /**
     * The fewest readings a window may hold. A predictor that pads shorter windows (an LSTM trained
     * with a minimum history) returns less than {@link #sequenceLength()}, so a new device is scored
     * sooner; the monitoring pipeline and the REST API predict from this many readings on.
     *
     * @return in {@code [1, sequenceLength()]}; the default is {@link #sequenceLength()}
     */
    default int minHistory() {
        return sequenceLength();
    }

    /**
     * Predicts for one device.
     *
     * @param deviceId the device
     * @param window   its most recent readings, oldest first, at least {@link #minHistory()} of them
     * @return the prediction
     * @throws IllegalArgumentException if the window is too short, has another schema or holds NaN
     * @throws IllegalStateException    if the predictor is not trained yet
     */
    Prediction predict(String deviceId, List<SensorReading> window);

    /**
     * Predicts for many devices at once; implementations batch the work, so this is the call for
     * fleets. The default calls {@link #predict(String, List)} for each window.
     *
     * @param windows one window per device
     * @return one prediction per window, in the same order
     */
    default List<Prediction> predictBatch(List<DeviceWindow> windows) {
        List<Prediction> out = new ArrayList<>(windows.size());
        for (DeviceWindow w : windows) {
            out.add(predict(w.deviceId(), w.readings()));
        }
        return out;
    }

    /** Releases native memory or threads held by the predictor. The default does nothing. */
    @Override
    default void close() {
    }
}
